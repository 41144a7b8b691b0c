import { Type, type Static } from 'typebox';
import { Envelope } from '../wire/envelope.js';
import { Nullable, QueryInteger } from '../wire/schema.js';
import { ID_PATTERN } from '../wire/ids.js';

const Text = Nullable(Type.String());

/**
 * One item of `taskTrace` (and of `caseTrace`, whose fields AICC does not document): exactly the six keys of
 * the seed's table 5.
 */
export const TraceItem = Type.Object({
  creatorId: Type.String(),
  creatorName: Type.String(),
  description: Text,
  relatedId: Text,
  title: Text,
  type: Type.String(),
});
export type TraceItem = Static<typeof TraceItem>;

/** The trace row columns a `TraceItem` is made of. */
export interface TraceItemRow {
  creator_id: string;
  creator_name: string;
  description: string | null;
  related_id: string | null;
  title: string | null;
  type: string;
}

export function toTraceItem(row: TraceItemRow): TraceItem {
  return {
    creatorId: row.creator_id,
    creatorName: row.creator_name,
    description: row.description,
    relatedId: row.related_id,
    title: row.title,
    type: row.type,
  };
}

/** opencase extension: one trace of the export, with what AICC's trace item leaves out (when, what changed). */
export const ExportedTrace = Type.Object({
  attachment: Text,
  changes: Type.Array(Type.Object({ field: Type.String(), from: Text, to: Text })),
  /** The same instant in UTC, ISO 8601, for machines. */
  createdAt: Type.String(),
  createdDate: Type.String(),
  creatorId: Type.String(),
  creatorName: Type.String(),
  description: Text,
  id: Type.String(),
  objectId: Type.String(),
  objectType: Type.Union([Type.Literal('Task'), Type.Literal('Case')]),
  relatedId: Text,
  seq: Type.Integer(),
  title: Text,
  type: Type.String(),
  /** Through what the change came: `app:<appId>` (an API app) or `user:<userId>` (a signed-in user's session); null for changes made before opencase recorded it. */
  via: Nullable(Type.String({ description: 'app:<appId> when an API app made the change, user:<userId> when a signed-in user did through a session; null on traces older than this field' })),
});
export type ExportedTrace = Static<typeof ExportedTrace>;

export const TracesQuery = Type.Object({
  after: Type.Optional(QueryInteger),
  limit: Type.Optional(QueryInteger),
  objectId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: 'only the traces of this case or task: its history, in order' })),
});
export const TracesResponse = Envelope(Type.Object({ nextCursor: Type.String(), traces: Type.Array(ExportedTrace) }));
