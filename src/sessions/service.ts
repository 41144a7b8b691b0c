import { hashToken, newSecret, verifyPassword, type HashTurn } from '../auth/secrets.js';
import type { Store, Tx } from '../db/store.js';
import { EXPIRED_PER_SWEEP } from '../db/sweep.js';
import type { Role } from '../db/tables.js';
import { ApiError } from '../wire/errors.js';
import { newId } from '../wire/ids.js';
import { createSessionsRepository, SESSION_TOKEN_PREFIX } from './repository.js';
import type { SignInInput } from './schemas.js';

export interface SessionLifetimes {
  /** Seconds an access token lives (OPENCASE_SESSION_TOKEN_TTL). */
  tokenTtlSeconds: number;
  /** Seconds the session lives, refreshes included (OPENCASE_SESSION_TTL). */
  sessionTtlSeconds: number;
}

/** What a sign-in or a refresh hands out: the reply's fields, and the refresh token for the cookie when it rotated. */
export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  userId: string;
  role: Role;
  /** The new refresh token, for the cookie; absent when the cookie stays as it is (a refresh within the grace). */
  refreshToken?: string;
  /** When the session ends: the cookie's lifetime. */
  sessionExpiresAt: number;
}

/**
 * Two tabs of one browser hold one cookie and may refresh at once: the one that loses the race presents a token
 * replaced a moment ago. Within this grace it gets an access token (the browser already holds the winner's new cookie);
 * later, presenting a replaced token is reuse, and ends the session.
 */
const REFRESH_GRACE_MS = 10_000;

/** The user a sign-in names, or why it names none: unknown, or a login held in several tenants. */
async function candidateFor(store: Store, input: SignInInput) {
  const found = await createSessionsRepository(store).findUsersByLogin(input.login, input.tenantId);
  if (found.length > 1) {
    throw new ApiError('invalidRequest', `login ${input.login} exists in more than one tenant: send tenantId as well`);
  }
  return found[0];
}

/**
 * Checks a login's password, at one scrypt whether or not the login exists (a decoy hash stands in), waiting its turn
 * in the caller's lane; true only for an active or disabled user whose password matches (the caller tells which).
 */
export async function checkPassword(store: Store, input: SignInInput, turn: HashTurn) {
  const user = await candidateFor(store, input);
  const valid = await verifyPassword(input.password, user?.password_hash ?? null, turn);
  return valid && user ? user : undefined;
}

async function issueTokens(tx: Tx, session: { id: string; expires_at: number }, now: number, lifetimes: SessionLifetimes, rotate: boolean) {
  const sessions = createSessionsRepository(tx);
  const accessToken = `${SESSION_TOKEN_PREFIX}${newSecret()}`;
  const expiresAt = Math.min(now + lifetimes.tokenTtlSeconds * 1000, session.expires_at);
  await sessions.insertSessionToken({ token_hash: hashToken(accessToken), session_id: session.id, created_at: now, expires_at: expiresAt });
  let refreshToken: string | undefined;
  if (rotate) {
    refreshToken = newSecret();
    await sessions.insertRefreshToken({ token_hash: hashToken(refreshToken), session_id: session.id, created_at: now, replaced_at: null });
  }
  return { accessToken, expiresIn: Math.max(0, Math.floor((expiresAt - now) / 1000)), refreshToken };
}

/** A new session of a user whose password was checked: its first access token and refresh token. */
export async function startSession(
  store: Store, user: { tenant_id: string; id: string; role: Role }, now: number, lifetimes: SessionLifetimes,
): Promise<IssuedSession> {
  return store.transaction(async (tx) => {
    const session = { id: newId('session'), tenant_id: user.tenant_id, user_id: user.id, created_at: now, expires_at: now + lifetimes.sessionTtlSeconds * 1000 };
    const sessions = createSessionsRepository(tx);
    await sessions.insertSession(session);
    // A few ended sessions go as each is made: the tables hold the live ones, not every sign-in ever.
    await sessions.deleteEndedSessions(now, EXPIRED_PER_SWEEP);
    const tokens = await issueTokens(tx, session, now, lifetimes, true);
    return { ...tokens, userId: user.id, role: user.role, sessionExpiresAt: session.expires_at };
  });
}

function sessionEnded(why: string): ApiError {
  return new ApiError('sessionEnded', `${why}: sign in again (POST /opencase/v1/session)`);
}

/**
 * A refresh token in, a new access token and a new refresh token out; the one presented is replaced. A replaced one
 * presented again (after the grace) is reuse: someone holds a copy, so the whole session ends, in every process.
 */
export async function refreshSession(store: Store, refreshToken: string, now: number, lifetimes: SessionLifetimes): Promise<IssuedSession> {
  const tokenHash = hashToken(refreshToken);
  const outcome = await store.transaction(async (tx): Promise<{ ended: string } | { issued: IssuedSession }> => {
    const sessions = createSessionsRepository(tx);
    const found = await sessions.findByRefreshToken(tokenHash);
    if (!found) return { ended: 'the refresh cookie is unknown' };
    if (found.revoked_at !== null) return { ended: 'the session was ended' };
    if (found.expires_at <= now) return { ended: 'the session is over (it lasts at most its lifetime)' };
    if (found.status !== 'active') return { ended: 'the user is disabled' };
    const replaced = found.replaced_at !== null || !(await sessions.replaceRefreshToken(tokenHash, now));
    if (replaced) {
      const replacedAt = found.replaced_at ?? now;
      if (now - replacedAt <= REFRESH_GRACE_MS) {
        const tokens = await issueTokens(tx, found, now, lifetimes, false);
        return { issued: { accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, userId: found.user_id, role: found.role, sessionExpiresAt: found.expires_at } };
      }
      await sessions.revokeSession(found.id, 'refresh token reused', now);
      tx.revokes();
      return { ended: 'the refresh cookie was used before, so a copy of it may be in other hands: the session is ended' };
    }
    const tokens = await issueTokens(tx, found, now, lifetimes, true);
    return { issued: { ...tokens, userId: found.user_id, role: found.role, sessionExpiresAt: found.expires_at } };
  });
  // Thrown after the commit: the reuse's revocation must land.
  if ('ended' in outcome) throw sessionEnded(outcome.ended);
  return outcome.issued;
}

/** Ends a session (sign-out): its access tokens stop at once, in every process, and its refresh cookie with them. */
export async function endSession(store: Store, sessionId: string, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    if (await createSessionsRepository(tx).revokeSession(sessionId, 'signed out', now)) tx.revokes();
  });
}

/** The session a refresh token belongs to, for a sign-out that comes with the cookie alone. */
export async function sessionOfRefreshToken(store: Store, refreshToken: string): Promise<string | undefined> {
  return (await createSessionsRepository(store).findByRefreshToken(hashToken(refreshToken)))?.id;
}
