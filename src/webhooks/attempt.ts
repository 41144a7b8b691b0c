import type { Insertable } from 'kysely';
import type { Store } from '../db/store.js';
import type { WebhookDeliveriesTable } from '../db/tables.js';
import type { ExportedTrace } from '../traces/schemas.js';
import { createWebhooksRepository, type WebhookRow } from './repository.js';
import { postOnce, succeeded, type Agents, type AttemptResult } from './send.js';
import { signatureHeader } from './signature.js';

/** One attempt: what came of it, and its line in the delivery log (to be written with what follows from it). */
export interface Attempt {
  result: AttemptResult;
  logRow: Insertable<WebhookDeliveriesTable>;
}

/** One message for an endpoint: its id (the `webhook-id` of every attempt), the change it is of, and its body. */
export interface Message {
  id: string;
  /** The change's seq; 0 for a ping. */
  seq: number;
  eventType: string;
  body: string;
}

/** The message of a change: `{type, timestamp, data}`, `data` the feed's entry; its id the same on every attempt. */
export function changeMessage(webhookId: string, entry: ExportedTrace, eventType: string): Message {
  return { id: `msg_${webhookId}_${entry.seq}`, seq: entry.seq, eventType, body: JSON.stringify({ type: eventType, timestamp: entry.createdAt, data: entry }) };
}

/** POSTs a message once, signed with the endpoint's secret (and, for a day after a rotation, its previous one). */
export async function postMessage(endpoint: WebhookRow, message: Message, allowPrivate: boolean, clock: () => number, agents: Agents = {}): Promise<Attempt> {
  const startedAt = clock();
  const timestamp = Math.floor(startedAt / 1000);
  const secrets = [endpoint.secret, ...(endpoint.previous_secret && (endpoint.previous_secret_until ?? 0) > startedAt ? [endpoint.previous_secret] : [])];
  const result = await postOnce(new URL(endpoint.url), {
    'content-type': 'application/json',
    'user-agent': 'opencase-webhooks/1',
    'webhook-id': message.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(secrets, message.id, timestamp, message.body),
  }, message.body, allowPrivate, agents);
  const now = clock();
  return {
    result,
    logRow: {
      tenant_id: endpoint.tenant_id, id: message.id, webhook_id: endpoint.id, seq: message.seq, event_type: message.eventType, attempts: 1,
      last_status: result.status ?? null, last_error: result.error?.slice(0, 500) ?? null, first_attempt_at: startedAt, last_attempt_at: now,
      delivered_at: succeeded(result) ? now : null,
    },
  };
}

/** An attempt made on request (a ping, a redelivery): sent, and written in the delivery log. */
export async function sendMessage(store: Store, endpoint: WebhookRow, message: Message, allowPrivate: boolean, clock: () => number): Promise<AttemptResult> {
  const { result, logRow } = await postMessage(endpoint, message, allowPrivate, clock);
  await createWebhooksRepository(store).recordAttempt(logRow);
  return result;
}
