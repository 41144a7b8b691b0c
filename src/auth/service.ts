import { createDefaultCaseType } from '../case-types/service.js';
import type { Store } from '../db/store.js';
import { createUsersRepository } from '../users/repository.js';
import { UnknownTenantError } from '../users/service.js';
import { isValidTimeZone } from '../wire/dates.js';
import type { WireProfile } from '../wire/profile.js';
import { newId, randomBase62 } from '../wire/ids.js';
import { createAuthRepository } from './repository.js';
import type { Caller } from '../permissions/caller.js';
import type { Role } from '../db/tables.js';
import { findSessionTenant, isSessionToken } from '../sessions/repository.js';
import { hashClientSecret, hashToken, newSecret, verifyClientSecret, type HashTurn } from './secrets.js';

/** Who a request acts for, as established by its access-token. */
export interface TenantContext {
  tenantId: string;
  timeZone: string;
  /** The API app or the signed-in user the token speaks for (permissions/caller.ts). */
  caller: Caller;
  /**
   * The tenant's change sequence as the token was checked: a response cached when the sequence stood at this
   * number is still current (see db/counters.ts).
   */
  changeSeq: number;
  /** How the tenant's replies are shaped where AICC's documentation leaves it open (wire/profile.ts). */
  wire: WireProfile;
}

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/**
 * What a token call's credentials came to: a token; refused (unknown client, revoked app or wrong secret, which the
 * caller answers alike); or not checked, because the caller may not spend a hash and the secret is not one this
 * process has verified before.
 */
export type TokenOutcome = { issued: IssuedToken } | { refused: 'credentials' | 'unchecked' };

/**
 * Client credentials in, a fresh token out. Only the token's hash is stored. A secret this process verified before is
 * known by its HMAC, at no hash; any other costs one scrypt, taken in the caller's turn (`hashTurn`: its address and
 * tier), the same for an unknown client as for a wrong secret, or is not checked at all when `hashTurn` is null.
 * Throws HashQueueFull when the hash cannot wait its turn.
 */
export async function issueToken(
  store: Store,
  credentials: { clientId: string; clientSecret: string },
  options: { now: number; ttlSeconds: number; hashTurn: HashTurn | null },
): Promise<TokenOutcome> {
  const repository = createAuthRepository(store);
  // No app has a client_id with U+0000 (PostgreSQL could not even compare it): unknown, and checked as slowly as one.
  const app = credentials.clientId.includes('\u0000') ? undefined : await repository.findActiveAppByClientId(credentials.clientId);
  const storedHash = app?.client_secret_hash ?? null;
  const recentlyVerified = storedHash !== null && store.secrets.has(storedHash, credentials.clientSecret);
  let valid = recentlyVerified;
  if (!valid) {
    if (options.hashTurn === null) return { refused: 'unchecked' };
    valid = await verifyClientSecret(credentials.clientSecret, storedHash, options.hashTurn);
  }
  if (!app || !storedHash || !valid) return { refused: 'credentials' };
  if (!recentlyVerified) store.secrets.add(storedHash, credentials.clientSecret);
  const accessToken = newSecret();
  await repository.insertToken({
    token_hash: hashToken(accessToken),
    tenant_id: app.tenant_id,
    app_id: app.id,
    created_at: options.now,
    expires_at: options.now + options.ttlSeconds * 1000,
  });
  // A few expired ones go as each is made: the table holds about one lifetime of tokens, not every token ever issued.
  await repository.deleteExpiredTokens(options.now);
  return { issued: { accessToken, expiresInSeconds: options.ttlSeconds } };
}

/**
 * The tenant a live token belongs to, or null for a token that is unknown, expired or revoked. Never writes. A token
 * checked before is taken from memory while the store's token version holds (Store.tokenVersion: on SQLite nothing
 * was committed since; on PostgreSQL nothing was revoked and the change signal is fresh), with its tenant's change
 * sequence as this process knows it now.
 */
export async function authenticate(
  store: Store, accessToken: string, now: number, onCheck: (fromCache: boolean) => void = () => undefined,
): Promise<TenantContext | null> {
  const version = store.tokenVersion();
  if (version !== undefined) {
    const known = store.tokens.get(accessToken, version, now);
    if (known) {
      onCheck(true);
      return store.currentTenant(known);
    }
  }
  onCheck(false);
  const found = await findTenantOfToken(store, accessToken, now);
  if (!found) return null;
  const {
    expiresAt, wire_case_detail_result: caseDetailResult, wire_task_list_result: taskListResult,
    wire_success_message: successMessage, wire_unknown_fields: unknownFields, tenantId, timeZone, changeSeq, caller,
  } = found;
  const tenant: TenantContext = { tenantId, timeZone, changeSeq: Number(changeSeq), caller, wire: { caseDetailResult, taskListResult, successMessage, unknownFields } };
  store.changes.noteSeq(tenant.tenantId, tenant.changeSeq);
  if (version !== undefined) store.tokens.set(accessToken, version, expiresAt, tenant);
  return tenant;
}

/** A session's token (sessions/) or an API app's, each from its own table: the two are told apart by their form. */
async function findTenantOfToken(store: Store, accessToken: string, now: number) {
  if (isSessionToken(accessToken)) {
    const found = await findSessionTenant(store, hashToken(accessToken), now);
    if (!found) return undefined;
    const { sessionId, userId, role, ...rest } = found;
    return { ...rest, caller: { kind: 'session', sessionId, userId, role } satisfies Caller };
  }
  const found = await createAuthRepository(store).findTenantByTokenHash(hashToken(accessToken), now);
  if (!found) return undefined;
  const { appId, appUserId, appRole, ...rest } = found;
  return { ...rest, caller: { kind: 'app', appId, userId: appUserId, role: appRole } satisfies Caller };
}

export class InvalidTenantInputError extends Error {}

/** A client_id or token that names nothing live: the CLI says so in one line. */
export class UnknownCredentialError extends Error {}

/** Revokes an API app: its secret and every token it was given stop working at once, in every process. */
export async function revokeApp(store: Store, clientId: string, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    if (!(await createAuthRepository(tx).revokeApp(clientId, now))) throw new UnknownCredentialError(`no active API app has client_id ${clientId}`);
    tx.revokes();
  });
}

/** Revokes one access token at once, in every process. */
export async function revokeToken(store: Store, accessToken: string, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    if (!(await createAuthRepository(tx).revokeToken(hashToken(accessToken), now))) {
      throw new UnknownCredentialError('no live access token matches (unknown, or already revoked)');
    }
    tx.revokes();
  });
}

/**
 * Gives an API app a new secret, returned here once and stored only as a hash; the old secret stops working at once.
 * Tokens already issued stay valid until they expire, unless `revokeTokens` revokes them too.
 */
export async function rotateSecret(store: Store, clientId: string, options: { revokeTokens: boolean; now: number }): Promise<{ clientSecret: string; revokedTokens: number }> {
  const clientSecret = newSecret();
  const secretHash = await hashClientSecret(clientSecret);
  return store.transaction(async (tx) => {
    const repository = createAuthRepository(tx);
    if (!(await repository.replaceSecretHash(clientId, secretHash))) throw new UnknownCredentialError(`no active API app has client_id ${clientId}`);
    const revokedTokens = options.revokeTokens ? await repository.revokeTokensOfApp(clientId, options.now) : 0;
    if (revokedTokens > 0) tx.revokes();
    return { clientSecret, revokedTokens };
  });
}

/**
 * A further API app of a tenant, acting as `userId` (the tenant's first user by default). Without a role it acts as any
 * user of its tenant with every permission, as AICC's machine-to-machine interface does; with one it holds that role's
 * permissions (permissions/table.ts). Its secret is returned here once and stored only as a hash.
 */
export async function createApiApp(
  store: Store, input: { tenantId: string; name: string; role: Role | null; userId?: string | undefined }, now: number,
): Promise<{ appId: string; clientId: string; clientSecret: string; userId: string; role: Role | null }> {
  const clientSecret = newSecret();
  const clientSecretHash = await hashClientSecret(clientSecret);
  return store.transaction(async (tx) => {
    if (!(await createAuthRepository(tx).findTenant(input.tenantId))) throw new UnknownTenantError(input.tenantId);
    const users = createUsersRepository(tx);
    const user = input.userId !== undefined ? await users.findUser(input.tenantId, input.userId) : (await users.listUsers(input.tenantId, 0, 1))[0];
    if (!user) throw new UnknownCredentialError(`tenant ${input.tenantId} has no user ${input.userId ?? ''} for the app to act as`);
    const app = {
      tenant_id: input.tenantId, id: newId('apiApp'), name: input.name, client_id: randomBase62(24), client_secret_hash: clientSecretHash,
      user_id: user.id, created_at: now, role: input.role,
    };
    await createAuthRepository(tx).insertApiApp(app);
    return { appId: app.id, clientId: app.client_id, clientSecret, userId: user.id, role: input.role };
  });
}

export interface NewTenant {
  tenantId: string;
  userId: string;
  caseTypeId: string;
  clientId: string;
  clientSecret: string;
}

/**
 * A tenant ready to call the API: its first user (agent), its default case type, and an API app whose
 * secret is returned here once and stored only as a hash.
 */
export async function createTenant(
  store: Store,
  input: { name: string; timeZone: string; userName: string },
  now: number,
): Promise<NewTenant> {
  if (!input.name.trim()) throw new InvalidTenantInputError('tenant name must not be empty');
  if (!isValidTimeZone(input.timeZone)) throw new InvalidTenantInputError(`time zone ${input.timeZone} is not an IANA time zone such as Asia/Shanghai`);
  const clientSecret = newSecret();
  const clientSecretHash = await hashClientSecret(clientSecret);
  return store.transaction(async (tx) => {
    const tenantId = newId('tenant');
    const userId = newId('user');
    const clientId = randomBase62(24);
    await createAuthRepository(tx).insertTenant({ id: tenantId, name: input.name, time_zone: input.timeZone, created_at: now });
    // The tenant's first user, the one its API app acts as: its administrator.
    await createUsersRepository(tx).insertUser({ tenant_id: tenantId, id: userId, name: input.userName, created_at: now, role: 'admin' });
    const caseTypeId = await createDefaultCaseType(tx, tenantId, userId, now);
    await createAuthRepository(tx).insertApiApp({
      tenant_id: tenantId,
      id: newId('apiApp'),
      name: `${input.name} API`,
      client_id: clientId,
      client_secret_hash: clientSecretHash,
      user_id: userId,
      created_at: now,
    });
    return { tenantId, userId, caseTypeId, clientId, clientSecret };
  });
}


/** What `opencase tenant show` prints: the tenant, its zone and its wire profile. */
export interface TenantSettings {
  tenantId: string;
  name: string;
  timeZone: string;
  wire: WireProfile;
}

async function tenantSettings(store: Store, tenantId: string): Promise<TenantSettings> {
  const row = await createAuthRepository(store).findTenant(tenantId);
  if (!row) throw new UnknownTenantError(tenantId);
  return {
    tenantId: row.id,
    name: row.name,
    timeZone: row.time_zone,
    wire: {
      caseDetailResult: row.wire_case_detail_result,
      taskListResult: row.wire_task_list_result,
      successMessage: row.wire_success_message,
      unknownFields: row.wire_unknown_fields,
    },
  };
}

export function showTenant(store: Store, tenantId: string): Promise<TenantSettings> {
  return tenantSettings(store, tenantId);
}

/** A tenant as `opencase tenant list` and `opencase check` show it: what it holds, counted. */
export interface TenantSummary {
  tenantId: string;
  name: string;
  timeZone: string;
  createdAt: string;
  users: number;
  apps: number;
  contacts: number;
  cases: number;
  tasks: number;
}

/** Every tenant, oldest first, with its counts (PostgreSQL hands counts over as text). */
export async function listTenants(store: Store): Promise<TenantSummary[]> {
  const rows = await createAuthRepository(store).listTenantsWithCounts();
  return rows.map((row) => ({
    tenantId: row.id, name: row.name, timeZone: row.time_zone, createdAt: new Date(Number(row.created_at)).toISOString(),
    users: Number(row.users), apps: Number(row.apps), contacts: Number(row.contacts), cases: Number(row.cases), tasks: Number(row.tasks),
  }));
}

/** An API app as `opencase app list` shows it; never its secret (only a hash is stored). */
export interface AppSummary {
  clientId: string;
  name: string;
  /** Null: every permission, acting as any user. */
  role: Role | null;
  userId: string;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApps(store: Store, tenantId: string): Promise<AppSummary[]> {
  const auth = createAuthRepository(store);
  if (!(await auth.findTenant(tenantId))) throw new UnknownTenantError(tenantId);
  const rows = await auth.listApps(tenantId);
  return rows.map((row) => ({
    clientId: row.client_id, name: row.name, role: row.role, userId: row.user_id, createdAt: new Date(Number(row.created_at)).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)).toISOString(),
  }));
}

/**
 * Sets switches of a tenant's wire profile. Every process sees it with the tenant's next token check: on SQLite any
 * commit sends checked tokens back to the database, on PostgreSQL the change signals a revocation (Tx.revokes).
 * Cached replies are keyed by the reply's shape (wire/profile.ts replyShapeKey), so none is served in the old one.
 */
export async function setWireProfile(store: Store, tenantId: string, settings: Partial<WireProfile>): Promise<TenantSettings> {
  await store.transaction(async (tx) => {
    await createAuthRepository(tx).updateTenant(tenantId, {
      ...(settings.caseDetailResult !== undefined && { wire_case_detail_result: settings.caseDetailResult }),
      ...(settings.taskListResult !== undefined && { wire_task_list_result: settings.taskListResult }),
      ...(settings.successMessage !== undefined && { wire_success_message: settings.successMessage }),
      ...(settings.unknownFields !== undefined && { wire_unknown_fields: settings.unknownFields }),
    });
    // The profile travels with each checked token (TenantContext.wire): every process checks its tokens again.
    tx.revokes();
  });
  return tenantSettings(store, tenantId);
}
