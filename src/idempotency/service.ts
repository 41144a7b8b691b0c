import type { Store } from '../db/store.js';
import { createIdempotencyRepository, type KeptReply, type KeyPlace } from './repository.js';

/** How long a key and its first reply are kept (the 24 hours; Stripe keeps its keys as long). */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * A key claimed this long ago whose work never committed is taken over by the next call with it: its process died
 * before its change (whose transaction would have marked the key committed). Longer than any request runs here (the
 * request timeout is 30 s, a change's transaction far less), so that a live call is never taken over.
 */
export const ABANDONED_AFTER_MS = 2 * 60 * 1000;

export interface KeyedRequest extends KeyPlace {
  /** SHA-256 of the method, the URL and the body. */
  requestHash: string;
}

export type Claim =
  /** This call does the work; its reply is kept when it ends. */
  | { outcome: 'owned' }
  /** Done before: its reply, to be sent again. */
  | { outcome: 'replay'; reply: KeptReply }
  /** The key was sent with another request (409002). */
  | { outcome: 'reused' }
  /** Another call with the key is working, or stopped after its change committed without its reply kept (409003). */
  | { outcome: 'busy' };

/** Claims a key for a request, in one transaction: a new key (or an expired or abandoned one) becomes this call's. */
export async function claimKey(store: Store, request: KeyedRequest, now: number): Promise<Claim> {
  return store.transaction(async (tx) => {
    const keys = createIdempotencyRepository(tx);
    await keys.deleteExpired(now);
    const row = await keys.findKeyForChange(request);
    if (!row) {
      const claim = { tenant_id: request.tenantId, key: request.key, route: request.route, request_hash: request.requestHash, state: 'pending' as const,
        claimed_at: now, expires_at: now + KEY_LIFETIME_MS };
      // A concurrent claim that committed first (PostgreSQL) makes this one busy: the caller waits and asks again.
      return (await keys.insertKey(claim)) ? { outcome: 'owned' } : { outcome: 'busy' };
    }
    if (row.expires_at <= now) {
      await keys.reclaimKey(request, request.requestHash, now, now + KEY_LIFETIME_MS);
      return { outcome: 'owned' };
    }
    if (row.request_hash !== request.requestHash) return { outcome: 'reused' };
    if (row.state === 'done' && row.reply_status !== null && row.reply_body !== null) {
      return { outcome: 'replay', reply: { status: row.reply_status, type: row.reply_type, partial: row.reply_partial, body: row.reply_body } };
    }
    if (row.state === 'pending' && now - Number(row.claimed_at) > ABANDONED_AFTER_MS) {
      await keys.reclaimKey(request, request.requestHash, now, Number(row.expires_at));
      return { outcome: 'owned' };
    }
    return { outcome: 'busy' };
  });
}

/**
 * Ends a claim with its reply: kept, unless the work did not commit and the reply says it may be tried again (a 5xx,
 * a 429), in which case the key is given up and the next call with it does the work.
 */
export async function finishKey(store: Store, place: KeyPlace, reply: KeptReply): Promise<void> {
  const retryable = reply.status >= 500 || reply.status === 429;
  await store.transaction(async (tx) => {
    const keys = createIdempotencyRepository(tx);
    if (retryable && (await keys.releaseUncommitted(place))) return;
    await keys.keepReply(place, reply);
  });
}
