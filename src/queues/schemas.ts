import { Type, type Static } from 'typebox';
import { Envelope } from '../wire/envelope.js';

/** opencase extension: queues, the other kind of case owner (case/transfer with ownerType "queue"). */
export const CreateQueueBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) });
export type CreateQueueInput = Static<typeof CreateQueueBody>;

export const QueueInfo = Type.Object({ createdDate: Type.String(), id: Type.String(), name: Type.String() });
export const CreateQueueResponse = Envelope(Type.Object({ queueId: Type.String() }));
export const ListQueuesResponse = Envelope(Type.Object({ queues: Type.Array(QueueInfo) }));
