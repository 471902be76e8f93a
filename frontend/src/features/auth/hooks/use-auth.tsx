import { createContext, type ReactNode, useCallback, useContext, useMemo } from "react";

import { useResource } from "../../../hooks/use-resource";
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

export function AuthProvider({ children }: { children: ReactNode }) {
  const me = useResource("me", authApi.getMe);
  const { refresh } = me;
  const login = useCallback(
    async (username: string, password: string) => {
      await authApi.login(username, password);
      refresh();
    },
    [refresh],
  );
  const register = useCallback(
    async (username: string, password: string, email: string) => {
      await authApi.register(username, password, email);
      refresh();
    },
    [refresh],
  );
  const logout = useCallback(async () => {
    await authApi.logout();
    refresh();
  }, [refresh]);
  const value = useMemo(
    () => ({ user: me.data ?? null, isLoading: me.isLoading, login, register, logout }),
    [me.data, me.isLoading, login, register, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth must be used inside <AuthProvider>");
  return auth;
}
