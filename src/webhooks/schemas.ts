import { Type, type Static } from 'typebox';
import { Envelope } from '../wire/envelope.js';
import { WireId } from '../wire/ids.js';
import { Nullable, QueryInteger, StringEnum } from '../wire/schema.js';
import { EVENT_PATTERNS } from './events.js';

/** An endpoint's URL: http(s), no credentials in it, at most 2000 characters (the service checks the rest). */
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'where the events are POSTed: an http:// or https:// URL' });
const EventTypes = Type.Array(StringEnum(EVENT_PATTERNS), {
  minItems: 1, maxItems: 50,
  description: 'event types (task.created, case.status_changed, …) and wildcards (task.*, case.*, *); all when absent',
});

export const CreateWebhookBody = Type.Object({
  url: Url,
  eventTypes: Type.Optional(EventTypes),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  active: Type.Optional(Type.Boolean()),
});
export type CreateWebhookInput = Static<typeof CreateWebhookBody>;

/** Any of the fields; `active: true` also clears why it was disabled, and its run of failures. */
export const UpdateWebhookBody = Type.Object({
  url: Type.Optional(Url),
  eventTypes: Type.Optional(EventTypes),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  active: Type.Optional(Type.Boolean()),
});
export type UpdateWebhookInput = Static<typeof UpdateWebhookBody>;

export const WebhookIdParams = Type.Object({ id: WireId });
export const WebhooksQuery = Type.Object({ start: Type.Optional(QueryInteger), limit: Type.Optional(QueryInteger) });

/** An endpoint as an admin sees it: never its secret. */
export const WebhookInfo = Type.Object({
  active: Type.Boolean(),
  createdDate: Type.String(),
  /** The feed's seq this endpoint is done with: every change after it is still to be delivered. */
  cursor: Type.String(),
  description: Nullable(Type.String()),
  /** Why it was disabled (410 Gone, or a run of failures), null while it is active or was disabled by hand. */
  disabledReason: Nullable(Type.String()),
  eventTypes: Type.Array(Type.String()),
  /** Failed attempts in a row at the next change. */
  failures: Type.Integer(),
  id: Type.String(),
  lastModifiedDate: Type.String(),
  /** When the next change is tried again after a failure. */
  nextAttemptDate: Nullable(Type.String()),
  url: Type.String(),
});
export type WebhookInfo = Static<typeof WebhookInfo>;

export const CreateWebhookResponse = Envelope(Type.Object({ secret: Type.String(), webhookId: Type.String() }));
export const RotateSecretResponse = Envelope(Type.Object({ previousSecretValidUntil: Type.String(), secret: Type.String() }));
export const WebhookResponse = Envelope(WebhookInfo);
export const ListWebhooksResponse = Envelope(Type.Object({ count: Type.Integer(), webhooks: Type.Array(WebhookInfo) }));

/** A delivery's id, the `webhook-id` its attempts carried: `msg_<webhookId>_<seq>` for a change, `…_ping_<random>` for a ping. */
export const DELIVERY_ID_PATTERN = '^msg_[A-Za-z0-9]{20}_([0-9]{1,15}|ping_[A-Za-z0-9]{8})$';
export const DeliveryParams = Type.Object({ id: WireId, deliveryId: Type.String({ pattern: DELIVERY_ID_PATTERN }) });

export const DeliveryInfo = Type.Object({
  attempts: Type.Integer(),
  /** When the endpoint answered 2xx; null while it has not. */
  deliveredDate: Nullable(Type.String()),
  eventType: Type.String(),
  firstAttemptDate: Type.String(),
  id: Type.String(),
  lastAttemptDate: Type.String(),
  /** The last attempt's failure in words (no answer, a refused address, the start of the answer's body). */
  lastError: Nullable(Type.String()),
  lastStatus: Nullable(Type.Integer()),
  /** The change's seq in the feed (0 for a ping). */
  seq: Type.String(),
});
export const DeliveriesResponse = Envelope(Type.Object({ count: Type.Integer(), deliveries: Type.Array(DeliveryInfo) }));

/** What one attempt made now (a ping, a redelivery) came to. */
export const AttemptResponse = Envelope(Type.Object({
  delivered: Type.Boolean(),
  error: Nullable(Type.String()),
  id: Type.String(),
  status: Nullable(Type.Integer()),
}));
