import { Type, type Static } from 'typebox';
import { Nullable } from '../wire/schema.js';

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
