import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from './store.js';

/**
 * Work that every change made while handling the current request runs inside its own transaction, last, so that it
 * commits or rolls back with the change: idempotency/ marks the request's key as committed this way, and a process that
 * dies between the commit and keeping the reply leaves a key that says the work was done. Set per request (with `run`);
 * absent, a change runs nothing more.
 */
export const requestCommitWork = new AsyncLocalStorage<(tx: Tx) => Promise<void>>();
