import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { OpencaseClient, OpencaseError } from '../../src/client/index.js';
import type { SignInRequest } from '../../src/client/index.js';

/**
 * The console's one client, signed in as a person: same origin (the page is served by opencase), the access token in
 * memory only, the refresh cookie kept by the browser (httpOnly: no script reads it). A refused token is renewed with
 * the cookie and the call sent again, so a form being written survives its token's end.
 */
export const client = new OpencaseClient({ baseUrl: '', session: true });

export interface Me {
  userId: string;
  role: 'agent' | 'supervisor' | 'admin';
  name: string;
}

interface Session {
  /** Undefined while the page asks whether its cookie still holds a session; null when signed out. */
  me: Me | null | undefined;
  signIn: (request: SignInRequest) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

async function whoAmI(): Promise<Me> {
  const signedIn = client.signedIn;
  if (!signedIn) throw new OpencaseError('', 'no session', 401);
  const user = await client.users.get(signedIn.userId);
  return { userId: signedIn.userId, role: signedIn.role, name: user.name };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const queries = useQueryClient();
  useEffect(() => {
    // A reload: the cookie may still hold a session.
    client.token().then(whoAmI).then(setMe, () => setMe(null));
  }, []);
  const signIn = useCallback(async (request: SignInRequest) => {
    await client.signIn(request);
    setMe(await whoAmI());
  }, []);
  const signOut = useCallback(async () => {
    await client.signOut();
    queries.clear();
    setMe(null);
  }, [queries]);
  return <SessionContext.Provider value={{ me, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** A signed-in screen's user (the app shows those screens only then). */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe while signed out');
  return me;
}
