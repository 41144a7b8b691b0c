import type { Selectable } from 'kysely';
import { createAuthRepository } from '../auth/repository.js';
import { hashPassword, hashToken, newSecret } from '../auth/secrets.js';
import type { TenantContext } from '../auth/service.js';
import type { Store, Tx } from '../db/store.js';
import type { Role, UsersTable, UserStatus } from '../db/tables.js';
import { authorize } from '../permissions/checks.js';
import { createSessionsRepository } from '../sessions/repository.js';
import { formatWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';
import { newId } from '../wire/ids.js';
import { createUsersRepository } from './repository.js';
import type { UpdateUserInput, UserInfo } from './schemas.js';

export class UnknownTenantError extends Error {
  constructor(tenantId: string) {
    super(`no tenant with id ${tenantId}`);
    this.name = 'UnknownTenantError';
  }
}

/** A user a CLI flag names that the tenant does not have: the CLI says so in one line. */
export class UnknownUserError extends Error {
  constructor(tenantId: string, named: string) {
    super(`tenant ${tenantId} has no user ${named}`);
    this.name = 'UnknownUserError';
  }
}

/** A set-password link lives a day: long enough to hand over, short enough not to linger in a mailbox. */
export const PASSWORD_LINK_TTL_SECONDS = 86_400;

/** What a new user is: a name, and a login, a role and a password for one who signs in. */
export interface NewUser {
  name: string;
  login?: string | undefined;
  role?: Role | undefined;
  /** Hashed before the change begins; only the hash is stored. */
  password?: string | undefined;
}

type UserRow = Pick<Selectable<UsersTable>, 'id' | 'name' | 'created_at' | 'login' | 'role' | 'status'>;

function toUserInfo(row: UserRow, timeZone: string): UserInfo {
  return { createdDate: formatWireDate(Number(row.created_at), timeZone), id: row.id, login: row.login, name: row.name, role: row.role, status: row.status };
}

function notFound(userId: string): ApiError {
  return new ApiError('recordNotFound', `no user with id ${userId} in your tenant`);
}

async function requireFreeLogin(tx: Tx, tenantId: string, login: string, userId?: string): Promise<void> {
  const holder = await createUsersRepository(tx).findUserByLogin(tenantId, login);
  if (holder && holder.id !== userId) throw new ApiError('conflict', `login ${login} is already used by user ${holder.id} of this tenant: logins are unique in a tenant`);
}

/**
 * Agents (AICC users): the owners and creators that tasks and cases name by id; with a login, people who sign in.
 * The operator's own call (CLI): no permission to check.
 */
export async function createUser(store: Store, tenantId: string, user: NewUser, now: number) {
  const passwordHash = user.password !== undefined ? await hashPassword(user.password) : null;
  return store.transaction(async (tx) => {
    if (!(await createAuthRepository(tx).findTenant(tenantId))) throw new UnknownTenantError(tenantId);
    if (user.login !== undefined) await requireFreeLogin(tx, tenantId, user.login);
    const row = {
      tenant_id: tenantId, id: newId('user'), name: user.name, created_at: now,
      login: user.login ?? null, password_hash: passwordHash, role: user.role ?? 'agent', status: 'active' as const,
    };
    await createUsersRepository(tx).insertUser(row);
    return { tenantId, userId: row.id, name: row.name, login: row.login, role: row.role };
  });
}

/** opencase extension: an admin creates a user (without a password: a set-password link gives it one). */
export async function createUserAs(store: Store, tenant: TenantContext, user: Omit<NewUser, 'password'>, now: number) {
  await authorize(store, tenant, 'user.write');
  return createUser(store, tenant.tenantId, user, now);
}

/** opencase extension: a page of the tenant's users, oldest first, with the total. */
export async function listUsersAs(store: Store, tenant: TenantContext, start: number, limit: number) {
  await authorize(store, tenant, 'user.read');
  return listUsers(store, tenant, start, limit);
}

/** A page of a tenant's users (the operator's CLI, or a caller allowed). */
export async function listUsers(store: Store, tenant: Pick<TenantContext, 'tenantId' | 'timeZone'>, start: number, limit: number) {
  const repository = createUsersRepository(store);
  const [count, rows] = await Promise.all([repository.countUsers(tenant.tenantId), repository.listUsers(tenant.tenantId, start, limit)]);
  return { count, users: rows.map((row) => toUserInfo(row, tenant.timeZone)) };
}

export async function getUser(store: Store, tenant: TenantContext, userId: string): Promise<UserInfo> {
  await authorize(store, tenant, 'user.read');
  const row = await createUsersRepository(store).findUser(tenant.tenantId, userId);
  if (!row) throw notFound(userId);
  return toUserInfo(row, tenant.timeZone);
}

/**
 * Ends a user's sessions when it can no longer sign in as it did (disabled, its password or login changed, its role
 * changed): every process drops the tokens it has checked (Tx.revokes), so the next request of any of them is
 * checked against the database again.
 */
async function endSessionsOf(tx: Tx, tenantId: string, userId: string, reason: string, now: number): Promise<void> {
  await createSessionsRepository(tx).revokeSessionsOfUser(tenantId, userId, reason, now);
  tx.revokes();
}

/**
 * Changes a user's name, login, role or status. A change of role or status reaches the user's tokens at once, in every
 * process: disabling ends its sessions; a new role is read at the token's next check. A signed-in admin cannot take
 * its own admin role, disable itself or take away its own login: the tenant would be left without the person who could undo
 * it.
 */
export async function updateUserAs(store: Store, tenant: TenantContext, userId: string, input: UpdateUserInput, now: number): Promise<UserInfo> {
  await authorize(store, tenant, 'user.write');
  const { caller } = tenant;
  if (caller.kind === 'session' && caller.userId === userId) {
    if (input.status === 'disabled') throw new ApiError('conflict', `user ${userId} is you: you cannot disable yourself; another admin can`);
    if (input.role !== undefined && input.role !== caller.role) throw new ApiError('conflict', `user ${userId} is you: you cannot change your own role; another admin can`);
    if (input.login === null) throw new ApiError('conflict', `user ${userId} is you: you cannot take away your own login; another admin can`);
  }
  return updateUser(store, tenant.tenantId, userId, input, now, tenant.timeZone);
}

/** The operator's change of a user (CLI), or an admin's once allowed. */
export async function updateUser(
  store: Store, tenantId: string, userId: string, input: UpdateUserInput, now: number, timeZone = 'UTC',
): Promise<UserInfo> {
  return store.transaction(async (tx) => {
    const users = createUsersRepository(tx);
    const current = await users.findUserForChange(tenantId, userId);
    if (!current) throw notFound(userId);
    if (input.login !== undefined && input.login !== null && input.login !== current.login) await requireFreeLogin(tx, tenantId, input.login, userId);
    const patch = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.login !== undefined && { login: input.login }),
      ...(input.role !== undefined && { role: input.role }),
      ...(input.status !== undefined && { status: input.status }),
    };
    await users.updateUser(tenantId, userId, patch);
    const statusChanged = input.status !== undefined && input.status !== current.status;
    if (input.status === 'disabled' && statusChanged) await endSessionsOf(tx, tenantId, userId, 'user disabled', now);
    else if (input.login !== undefined && input.login !== current.login) await endSessionsOf(tx, tenantId, userId, 'login changed', now);
    // A new role or an enabled user: no session to end, but checked tokens carry the old role and status.
    else if ((input.role !== undefined && input.role !== current.role) || statusChanged) tx.revokes();
    return toUserInfo({ ...current, ...patch }, timeZone);
  });
}

/** Sets a user's password (the operator's CLI): its sessions end, in every process. */
export async function setPassword(store: Store, tenantId: string, userId: string, password: string, now: number): Promise<void> {
  const passwordHash = await hashPassword(password);
  await store.transaction(async (tx) => {
    const users = createUsersRepository(tx);
    if (!(await users.findUserForChange(tenantId, userId))) throw new UnknownUserError(tenantId, userId);
    await users.updateUser(tenantId, userId, { password_hash: passwordHash });
    await users.retirePasswordLinks(tenantId, userId, now);
    await endSessionsOf(tx, tenantId, userId, 'password changed', now);
  });
}

/** The user a CLI flag names, by id or by login. */
export async function findUserId(store: Store, tenantId: string, given: { userId?: string | undefined; login?: string | undefined }): Promise<string> {
  const users = createUsersRepository(store);
  const row = given.userId !== undefined ? await users.findUser(tenantId, given.userId) : await users.findUserByLogin(tenantId, given.login ?? '');
  if (!row) throw new UnknownUserError(tenantId, given.userId ?? `with login ${given.login}`);
  return row.id;
}

/**
 * opencase extension: a one-time set-password link for a user, returned to the admin who asked (no mail server is
 * needed): valid 24 hours, used once, stored only as a hash. The user needs a login to sign in with it.
 */
export async function createPasswordLink(store: Store, tenant: TenantContext, userId: string, now: number) {
  await authorize(store, tenant, 'user.write');
  const token = newSecret();
  await store.transaction(async (tx) => {
    const user = await createUsersRepository(tx).findUserForChange(tenant.tenantId, userId);
    if (!user) throw notFound(userId);
    if (user.login === null) throw new ApiError('conflict', `user ${userId} has no login to sign in with: give it one first (PATCH /opencase/v1/users/${userId} {"login": …})`);
    // One link at a time: an older one, perhaps sent somewhere it leaked, stops working.
    await createUsersRepository(tx).retirePasswordLinks(tenant.tenantId, userId, now);
    await createUsersRepository(tx).insertPasswordLink({
      token_hash: hashToken(token), tenant_id: tenant.tenantId, user_id: userId, created_at: now, expires_at: now + PASSWORD_LINK_TTL_SECONDS * 1000, used_at: null,
    });
    // A few links past their day go as each is made (any tenant's: they are worth nothing to anyone).
    await createUsersRepository(tx).deleteExpiredPasswordLinks(now);
  });
  return { token, expiresIn: PASSWORD_LINK_TTL_SECONDS, userId };
}

/**
 * Sets a password with a link's token: once, within its day. The link is looked up before the password is hashed (a
 * made-up token costs one indexed read, not a hash), and used in the change that stores the hash, so that two uses
 * never both land. The user's sessions end.
 */
export async function usePasswordLink(store: Store, token: string, password: string, now: number): Promise<{ userId: string }> {
  const tokenHash = hashToken(token);
  const unusable = () => new ApiError('invalidRequest', 'token is unknown, used or expired: a set-password link works once, for 24 hours; ask an admin for a new one');
  if (!(await createUsersRepository(store).findLivePasswordLink(tokenHash, now))) throw unusable();
  const passwordHash = await hashPassword(password);
  return store.transaction(async (tx) => {
    const users = createUsersRepository(tx);
    const link = await users.usePasswordLink(tokenHash, now);
    if (!link) throw unusable();
    await users.updateUser(link.tenant_id, link.user_id, { password_hash: passwordHash });
    await users.retirePasswordLinks(link.tenant_id, link.user_id, now);
    await endSessionsOf(tx, link.tenant_id, link.user_id, 'password changed', now);
    return { userId: link.user_id };
  });
}

export type { UserStatus };
