/**
 * Rows past their expiry (API apps' tokens, sessions, set-password links, Idempotency-Keys) deleted by
 * each new one made: more than are made, so that a table shrinks to its live rows without a sweeper process of its own.
 */
export const EXPIRED_PER_SWEEP = 20;
