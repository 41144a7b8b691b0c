import { Type, type Static } from 'typebox';
import { Envelope } from '../wire/envelope.js';
import { QueryInteger } from '../wire/schema.js';

/** opencase extension: queues, the other kind of case owner (case/transfer with ownerType "queue"). */
export const CreateQueueBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) });
export type CreateQueueInput = Static<typeof CreateQueueBody>;

export const QueueInfo = Type.Object({ createdDate: Type.String(), id: Type.String(), name: Type.String() });
export const CreateQueueResponse = Envelope(Type.Object({ queueId: Type.String() }));
/** A page of queues, oldest first, with the total: the list had no paging, so one tenant's queues had no bound. */
export const QueuesQuery = Type.Object({ start: Type.Optional(QueryInteger), limit: Type.Optional(QueryInteger) });
export const ListQueuesResponse = Envelope(Type.Object({ count: Type.Integer(), queues: Type.Array(QueueInfo) }));
