/** Where the API lives, and the headers of its own it speaks: shared by the server and the client, which must not load the server to know them. */
export const AICC_PREFIX = '/service/AICC__Case/1.0.0/openapi';
export const EXTENSIONS_PREFIX = '/opencase/v1';
export const TOKEN_PATH = '/baas/auth/v1.0/oauth2/token';

/** The header a write's Idempotency-Key comes in (idempotency/, README "Retries"), shared with the client. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/**
 * On every reply of opencase: it keeps Idempotency-Keys, this many seconds. The typed client's sign that a write may be
 * sent again after a 503 or a timeout (a server without it might do the write twice).
 */
export const KEEPS_KEYS_HEADER = 'idempotency-keys-kept';
/** On a reply sent again for a key. */
export const REPLAYED_HEADER = 'idempotent-replayed';
