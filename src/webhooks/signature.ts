import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks 1.0 signing: the secret is `whsec_` and the base64 of the key; a signature is `v1,` and the base64
 * HMAC-SHA256, with the key, of `<webhook-id>.<webhook-timestamp>.<body>`. Several signatures are separated by spaces
 * (a rotated secret is signed with too, for a while).
 */
export const SECRET_PREFIX = 'whsec_';

/** A new secret: 24 random bytes, as the specification recommends (between 24 and 64). */
export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

export function sign(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The `webhook-signature` header: one signature per secret in use. */
export function signatureHeader(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): string {
  return secrets.map((secret) => sign(secret, messageId, timestampSeconds, body)).join(' ');
}
