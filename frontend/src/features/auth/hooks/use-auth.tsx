import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useMemo } from "react";

import type { User } from "../../../lib/types";
import * as authApi from "../api/auth";

type Auth = {
  /** Null while the server's answer is on its way (see `isLoading`) as well as when logged out. */
  user: User | null;
  isLoading: boolean;
  /** Who is signed in, once the server has said (at once when it has): what an action that needs
   * signing in decides by, so that a click before the answer is not taken for "logged out". */
  whenKnown: () => Promise<User | null>;
  login: (username: string, password: string) => Promise<void>;
  register: (username: string, password: string, email: string) => Promise<void>;
  logout: () => Promise<void>;
};

const AuthContext = createContext<Auth | null>(null);
const ME = ["me"] as const;
const meQuery = queryOptions({ queryKey: ME, queryFn: ({ signal }) => authApi.getMe(signal) });

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery(meQuery);
  // The answer in the cache, or the request on its way (one request, shared with `me`); a failed
  // one counts as logged out, as `user` does.
  const whenKnown = useCallback(
    () => queryClient.query({ ...meQuery, staleTime: "static" }).catch(() => null),
    [queryClient],
  );
  /** Another customer now: their answer says who, and nothing loaded for the last one is kept
   * (holds, reservations, "held by you" on the map). An answer to "who is this?" still on its way
   * was asked before: it must not undo this one. */
  const signedInAs = useCallback(
    async (user: User | null) => {
      await queryClient.cancelQueries({ queryKey: ME });
      queryClient.setQueryData(ME, user);
      await queryClient.resetQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
    },
    [queryClient],
  );
  const login = useCallback(
    async (username: string, password: string) => signedInAs(await authApi.login(username, password)),
    [signedInAs],
  );
  const register = useCallback(
    async (username: string, password: string, email: string) =>
      signedInAs(await authApi.register(username, password, email)),
    [signedInAs],
  );
  const logout = useCallback(async () => {
    await authApi.logout();
    await signedInAs(null);
  }, [signedInAs]);
  const value = useMemo(
    () => ({ user: me.data ?? null, isLoading: me.isPending, whenKnown, login, register, logout }),
    [me.data, me.isPending, whenKnown, login, register, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth must be used inside <AuthProvider>");
  return auth;
}
