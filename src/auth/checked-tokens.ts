import { LruMap } from 'toad-cache';
import type { TenantContext } from './service.js';

/**
 * Access tokens this process has checked against the database, each with what the check found and the commit version
 * (SQLite's data_version) read just before it. While the version has not moved, nothing was committed anywhere, by
 * this process or another: the token is still unrevoked, its app too, and its tenant's change sequence unchanged, so
 * the request needs no query and no hashing. Any commit sends each token's next request back to the database. Expiry
 * is checked against the clock every time. Only tokens found live are kept; bounded, the least recently used going first.
 */
export class CheckedTokens {
  readonly #entries: LruMap<{ version: number; expiresAt: number; tenant: TenantContext }>;

  constructor(limit = 10_000) {
    this.#entries = new LruMap(limit);
  }

  get(token: string, version: number, now: number): TenantContext | undefined {
    const entry = this.#entries.get(token);
    return entry && entry.version === version && now < entry.expiresAt ? entry.tenant : undefined;
  }

  set(token: string, version: number, expiresAt: number, tenant: TenantContext): void {
    this.#entries.set(token, { version, expiresAt, tenant });
  }
}
