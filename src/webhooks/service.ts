import type { TenantContext } from '../auth/service.js';
import { committedChangeSeq } from '../changes/current-seq.js';
import type { Store } from '../db/store.js';
import { authorize } from '../permissions/checks.js';
import { formatWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';
import { newId, randomBase62 } from '../wire/ids.js';
import { forbiddenLiteralHost } from './address-guard.js';
import { createWebhooksRepository, type WebhookRow } from './repository.js';
import type { CreateWebhookInput, UpdateWebhookInput, WebhookInfo } from './schemas.js';
import { newSecret } from './signature.js';
import { changeMessage, sendMessage } from './attempt.js';
import { eventTypeOf } from './events.js';
import { succeeded, type AttemptResult } from './send.js';

/** How long a rotated secret still signs (its signature sent beside the new one): a day to roll receivers over. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

/** The URL as an endpoint: http(s), no credentials, not an address it could never be delivered to (a literal one). */
function endpointUrl(text: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError('invalidRequest', 'url must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiError('invalidRequest', `url must be http:// or https://, not ${url.protocol}`);
  if (url.username || url.password) throw new ApiError('invalidRequest', 'url must not hold credentials: check the webhook-signature header instead');
  const refused = allowPrivate ? undefined : forbiddenLiteralHost(url);
  if (refused) {
    throw new ApiError('invalidRequest', `url: ${refused}; webhooks are not delivered there (OPENCASE_WEBHOOK_ALLOW_PRIVATE=1 allows it, for development)`);
  }
  return url.toString();
}

/** The patterns as kept: each once (the schema has checked each is an event type or a wildcard); all when absent. */
function eventTypesOf(patterns: readonly string[] | undefined): string[] {
  return patterns === undefined ? ['*'] : [...new Set(patterns)];
}

export function toWebhookInfo(row: WebhookRow, timeZone: string): WebhookInfo {
  return {
    active: row.active === 1,
    createdDate: formatWireDate(row.created_at, timeZone),
    cursor: String(row.cursor),
    description: row.description,
    disabledReason: row.disabled_reason,
    eventTypes: JSON.parse(row.event_types) as string[],
    failures: row.failures,
    id: row.id,
    lastModifiedDate: formatWireDate(row.updated_at, timeZone),
    nextAttemptDate: formatWireDate(row.next_attempt_at, timeZone),
    url: row.url,
  };
}

/**
 * A new endpoint, delivered every change committed after this call (not the history before it: the feed has that).
 * The secret is in the reply once, and never again.
 */
export async function createWebhook(store: Store, tenant: TenantContext, input: CreateWebhookInput, allowPrivate: boolean, now: number) {
  await authorize(store, tenant, 'webhook.manage');
  const url = endpointUrl(input.url, allowPrivate);
  const eventTypes = eventTypesOf(input.eventTypes);
  const webhookId = newId('webhook');
  const secret = newSecret();
  await createWebhooksRepository(store).insertWebhook({
    tenant_id: tenant.tenantId, id: webhookId, url, event_types: JSON.stringify(eventTypes), description: input.description ?? null,
    active: input.active === false ? 0 : 1, secret, cursor: await committedChangeSeq(store, tenant.tenantId), created_at: now, updated_at: now,
  });
  return { secret, webhookId };
}

async function requireWebhook(store: Store, tenantId: string, id: string): Promise<WebhookRow> {
  const row = await createWebhooksRepository(store).findWebhook(tenantId, id);
  if (!row) throw new ApiError('recordNotFound', `no webhook with id ${id} in your tenant`);
  return row;
}

export async function getWebhook(store: Store, tenant: TenantContext, id: string): Promise<WebhookInfo> {
  await authorize(store, tenant, 'webhook.manage');
  return toWebhookInfo(await requireWebhook(store, tenant.tenantId, id), tenant.timeZone);
}

export async function listWebhooks(store: Store, tenant: TenantContext, start: number, limit: number) {
  await authorize(store, tenant, 'webhook.manage');
  const repository = createWebhooksRepository(store);
  const [count, rows] = await Promise.all([repository.countWebhooks(tenant.tenantId), repository.listWebhooks(tenant.tenantId, start, limit)]);
  return { count, webhooks: rows.map((row) => toWebhookInfo(row, tenant.timeZone)) };
}

/** Changes an endpoint. Made active again, it starts over at the change it had stopped at, its failures forgotten. */
export async function updateWebhook(store: Store, tenant: TenantContext, id: string, input: UpdateWebhookInput, allowPrivate: boolean, now: number): Promise<WebhookInfo> {
  await authorize(store, tenant, 'webhook.manage');
  const repository = createWebhooksRepository(store);
  await requireWebhook(store, tenant.tenantId, id);
  await repository.updateWebhook(tenant.tenantId, id, {
    updated_at: now,
    ...(input.url !== undefined && { url: endpointUrl(input.url, allowPrivate) }),
    ...(input.eventTypes !== undefined && { event_types: JSON.stringify(eventTypesOf(input.eventTypes)) }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.active === false && { active: 0 }),
    ...(input.active === true && { active: 1, disabled_reason: null, failures: 0, next_attempt_at: null }),
  });
  return toWebhookInfo(await requireWebhook(store, tenant.tenantId, id), tenant.timeZone);
}

export async function deleteWebhook(store: Store, tenant: TenantContext, id: string): Promise<void> {
  await authorize(store, tenant, 'webhook.manage');
  if (!(await createWebhooksRepository(store).deleteWebhook(tenant.tenantId, id))) throw new ApiError('recordNotFound', `no webhook with id ${id} in your tenant`);
}

/** A new secret, shown once; the one it replaces still signs beside it for ROTATION_OVERLAP_MS. */
export async function rotateWebhookSecret(store: Store, tenant: TenantContext, id: string, now: number) {
  await authorize(store, tenant, 'webhook.manage');
  const row = await requireWebhook(store, tenant.tenantId, id);
  const secret = newSecret();
  const until = now + ROTATION_OVERLAP_MS;
  await createWebhooksRepository(store).updateWebhook(tenant.tenantId, id, { secret, previous_secret: row.secret, previous_secret_until: until, updated_at: now });
  return { previousSecretValidUntil: formatWireDate(until, tenant.timeZone), secret };
}

/** The endpoint's delivery log, newest first: each change sent (and each ping), its attempts and how the last went. */
export async function listDeliveries(store: Store, tenant: TenantContext, id: string, start: number, limit: number) {
  await authorize(store, tenant, 'webhook.manage');
  await requireWebhook(store, tenant.tenantId, id);
  const repository = createWebhooksRepository(store);
  const [count, rows] = await Promise.all([repository.countDeliveries(tenant.tenantId, id), repository.listDeliveries(tenant.tenantId, id, start, limit)]);
  return {
    count,
    deliveries: rows.map((row) => ({
      attempts: row.attempts, deliveredDate: formatWireDate(row.delivered_at, tenant.timeZone), eventType: row.event_type,
      firstAttemptDate: formatWireDate(row.first_attempt_at, tenant.timeZone), id: row.id, lastAttemptDate: formatWireDate(row.last_attempt_at, tenant.timeZone),
      lastError: row.last_error, lastStatus: row.last_status, seq: String(row.seq),
    })),
  };
}

function attemptReply(id: string, result: AttemptResult) {
  return { delivered: succeeded(result), error: result.error ?? null, id, status: result.status ?? null };
}

/**
 * Sends a change the endpoint was sent before once more, now, with its webhook-id (a receiver that kept it sees a
 * duplicate): for a receiver that lost what it took. It does not move the endpoint's cursor.
 */
export async function redeliver(store: Store, tenant: TenantContext, id: string, deliveryId: string, allowPrivate: boolean, clock: () => number) {
  await authorize(store, tenant, 'webhook.manage');
  const endpoint = await requireWebhook(store, tenant.tenantId, id);
  const delivery = await createWebhooksRepository(store).findDelivery(tenant.tenantId, id, deliveryId);
  if (!delivery) throw new ApiError('recordNotFound', `no delivery ${deliveryId} of webhook ${id}`);
  if (Number(delivery.seq) === 0) throw new ApiError('invalidRequest', `${deliveryId} is a ping: send another with POST /opencase/v1/webhooks/${id}/ping`);
  const [entry] = await store.feed.readAfter(tenant.tenantId, Number(delivery.seq) - 1, 1);
  if (!entry || entry.seq !== Number(delivery.seq)) throw new ApiError('recordNotFound', `the change of ${deliveryId} is no longer in the feed`);
  const message = changeMessage(id, entry, eventTypeOf(entry.objectType, entry.type));
  return attemptReply(message.id, await sendMessage(store, endpoint, message, allowPrivate, clock));
}

/** A `webhook.ping` event sent now, signed as every delivery is: to check an endpoint and its signature check. */
export async function ping(store: Store, tenant: TenantContext, id: string, allowPrivate: boolean, clock: () => number) {
  await authorize(store, tenant, 'webhook.manage');
  const endpoint = await requireWebhook(store, tenant.tenantId, id);
  const messageId = `msg_${id}_ping_${randomBase62(8)}`;
  const body = JSON.stringify({ type: 'webhook.ping', timestamp: new Date(clock()).toISOString(), data: { webhookId: id } });
  return attemptReply(messageId, await sendMessage(store, endpoint, { id: messageId, seq: 0, eventType: 'webhook.ping', body }, allowPrivate, clock));
}
