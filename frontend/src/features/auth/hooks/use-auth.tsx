import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useMemo } from "react";

import type { User } from "../../../lib/types";
import * as authApi from "../api/auth";

type Auth = {
  user: User | null;
  isLoading: boolean;
  login: (username: string, password: string) => Promise<void>;
  register: (username: string, password: string, email: string) => Promise<void>;
  logout: () => Promise<void>;
};

const AuthContext = createContext<Auth | null>(null);
const ME = ["me"] as const;

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({ queryKey: ME, queryFn: ({ signal }) => authApi.getMe(signal) });
  /** Another customer now: their answer says who, and nothing loaded for the last one is kept
   * (holds, reservations, "held by you" on the map). */
  const signedInAs = useCallback(
    async (user: User | null) => {
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
    () => ({ user: me.data ?? null, isLoading: me.isPending, login, register, logout }),
    [me.data, me.isPending, login, register, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth must be used inside <AuthProvider>");
  return auth;
}
