import type { Role } from './table.js';

/**
 * Who a request's access-token speaks for: an API app (AICC's client credentials), acting as its own user or as any
 * user a call names; or a person's sign-in session, acting only as that person.
 */
export type Caller =
  | {
    kind: 'app';
    appId: string;
    /** The app's own user: the operator of a change whose request names none. */
    userId: string;
    /** Null: every permission, on every record (AICC's machine-to-machine interface). */
    role: Role | null;
  }
  | { kind: 'session'; sessionId: string; userId: string; role: Role };

/** What the change feed and the logs name a caller by: `app:<id>` or `user:<id>`. */
export function callerLabel(caller: { kind: 'app'; appId: string } | { kind: 'session'; userId: string }): string {
  return caller.kind === 'app' ? `app:${caller.appId}` : `user:${caller.userId}`;
}

