import { Type, type Static } from 'typebox';
import { Envelope } from '../wire/envelope.js';
import { WireId } from '../wire/ids.js';
import { QueryInteger } from '../wire/schema.js';

/** opencase extension: queues, the other kind of case owner (case/transfer with ownerType "queue"). */
export const CreateQueueBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) });
export type CreateQueueInput = Static<typeof CreateQueueBody>;

export const QueueInfo = Type.Object({ createdDate: Type.String(), id: Type.String(), name: Type.String() });
export const CreateQueueResponse = Envelope(Type.Object({ queueId: Type.String() }));
/** A page of queues, oldest first, with the total: the list had no paging, so one tenant's queues had no bound. */
export const QueuesQuery = Type.Object({ start: Type.Optional(QueryInteger), limit: Type.Optional(QueryInteger) });
export const ListQueuesResponse = Envelope(Type.Object({ count: Type.Integer(), queues: Type.Array(QueueInfo) }));

/** A queue's members: the agents who work the cases it owns (an agent changes a queue's cases as its own). */
export const QueueIdParams = Type.Object({ id: WireId });
export const QueueMemberParams = Type.Object({ id: WireId, userId: WireId });
export const QueueMembersResponse = Envelope(Type.Object({
  count: Type.Integer(),
  members: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
}));
