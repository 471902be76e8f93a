import { api } from "../../../lib/api-client";
import type { User } from "../../../lib/types";

type UserResponse = { user: User | null };

/** The signed-in user, or null. Also gives the browser its CSRF cookie. */
export async function getMe(signal?: AbortSignal): Promise<User | null> {
  return (await api.get<UserResponse>("/api/auth/me/", signal)).user;
}

export async function login(username: string, password: string): Promise<User | null> {
  return (await api.post<UserResponse>("/api/auth/login/", { username, password })).user;
}

export async function register(username: string, password: string, email: string): Promise<User | null> {
  return (await api.post<UserResponse>("/api/auth/register/", { username, password, email })).user;
}

export async function logout(): Promise<void> {
  await api.post<UserResponse>("/api/auth/logout/");
}
