import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { LruMap } from 'toad-cache';
import { FairHashSlots, OPERATOR_LANE, type HashLane, type HashTier } from './hash-slots.js';

/**
 * 256 random bits, URL-safe: what an access token and a generated client secret are made of. Never starting with `-`
 * (nor `_`): one in 32 did, and a command line takes such a word for an option (`opencase token revoke -t1b…` was
 * "unknown option"; a CI run met it). Drawing again costs under 0.05 bits of the 256.
 */
export function newSecret(): string {
  for (;;) {
    const secret = randomBytes(32).toString('base64url');
    if (secret[0] !== '-' && secret[0] !== '_') return secret;
  }
}

/**
 * Tokens carry 256 random bits, so a fast hash is enough to make a stolen table useless; they are looked
 * up by this hash on every request.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

/**
 * scrypt holds 16 MB while it runs, and the allocator keeps what a thread used: a burst of token calls (or of guesses)
 * runs this many hashes at once and queues the rest, so memory stays bounded and the thread pool stays free for the
 * rest of the server. Measured: 32 concurrent token calls took the process from 182 to 487 MB before this limit.
 *
 * The queue is fair among addresses, clean callers first, and bounded (hash-slots.ts). Measured here: one hash takes
 * 46 ms, two run in parallel, so a clean caller waits for at most the two running and one per other clean address
 * (11 at the bound of 12), (2 + 11) / 2 hashes, plus its own: about 350 ms, under the half second a token call may wait
 * while other addresses flood the route. Under a flood of 400 calls from ten addresses a real caller was answered
 * 0.15 s (median) after it reached the server, where first come first served made it wait 16 s.
 */
const hashSlots = new FairHashSlots({ concurrency: 2, waitingLanes: 12, waitingPerLane: 16 });

/** Hashes started, running and waiting in this process (tests count the hashes a flood of guesses costs). */
export function hashStats(): ReturnType<FairHashSlots['stats']> {
  return hashSlots.stats();
}

/** Where a hash waits its turn: the caller's lane (address) and tier (hash-slots.ts). */
export interface HashTurn {
  lane: HashLane;
  tier: HashTier;
}

async function scryptAsync(turn: HashTurn, secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  await hashSlots.acquire(turn.lane, turn.tier);
  try {
    return await new Promise((resolve, reject) => {
      scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
    });
  } finally {
    hashSlots.release();
  }
}

/** Client secrets may be chosen by people, so they are stored with scrypt: `scrypt$N$r$p$salt$key`. */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync({ lane: OPERATOR_LANE, tier: 'clean' }, secret, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * People's passwords are hashed as client secrets are (scrypt, memory-hard: 16 MB and 46 ms a hash here), in the same
 * fair, bounded queue, so that a flood of sign-ins costs what a flood of token calls does. An admin's or the CLI's
 * hash waits in the operator's lane.
 */
export const hashPassword = hashClientSecret;

/** A stored hash that matches no secret, checked when the client_id is unknown so that timing reveals nothing. */
const DECOY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

/**
 * Whether `secret` matches `storedHash`, at the cost of one scrypt whether or not the client is known (`storedHash`
 * null). The hash waits its `turn`; throws HashQueueFull when it cannot wait.
 */
export async function verifyClientSecret(secret: string, storedHash: string | null, turn: HashTurn): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = (storedHash ?? DECOY_HASH).split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(turn, secret, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected) && storedHash !== null;
}

/** Whether a password matches its user's stored hash (null: no such user, or no password set), at one scrypt either way. */
export const verifyPassword = verifyClientSecret;

/**
 * Client secrets this process verified recently, so that a client asking for tokens again does not pay scrypt each
 * time (about 50 ms of CPU and 16 MB of memory a call). Each is kept under the stored hash it matched, so a rotated
 * secret or a removed app matches nothing; what is kept is an HMAC of the secret under a key that lives only in this
 * process. A failed check is never kept: guessing pays scrypt every time. Bounded: past `limit` the least recently used goes.
 */
export class VerifiedSecrets {
  readonly #key = randomBytes(32);
  readonly #macs: LruMap<Buffer>;

  constructor(limit = 1000) {
    this.#macs = new LruMap(limit);
  }

  has(storedHash: string, secret: string): boolean {
    const known = this.#macs.get(storedHash);
    return known !== undefined && timingSafeEqual(known, this.#mac(secret));
  }

  add(storedHash: string, secret: string): void {
    this.#macs.set(storedHash, this.#mac(secret));
  }

  #mac(secret: string): Buffer {
    return createHmac('sha256', this.#key).update(secret).digest();
  }
}

/**
 * Query parameters whose value is a secret. AppCube clients send the token call's client_secret in the query string
 * (spec §8.6), and a client that misplaces its token may send it there too.
 */
const SECRET_QUERY_PARAMETERS = new Set(['client_secret', 'access-token', 'access_token']);

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

/**
 * A URL fit for a log line: the value of every secret query parameter replaced by `[REDACTED]`, everything else as
 * sent, so that the line still says which call failed. Names are compared decoded and in any case, as a mistyped or
 * percent-encoded name still carries the secret.
 */
export function redactQuerySecrets(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const pairs = url.slice(queryStart + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    return SECRET_QUERY_PARAMETERS.has(decodedName(name)) ? `${name}=[REDACTED]` : pair;
  });
  return `${url.slice(0, queryStart + 1)}${pairs.join('&')}`;
}
