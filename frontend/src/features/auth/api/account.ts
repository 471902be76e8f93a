import { api } from "../../../lib/api-client";
import type { User } from "../../../lib/types";

type UserResponse = { user: User };

/** Set the account's e-mail address (tickets and reset links go there). */
export async function updateEmail(email: string): Promise<User> {
  return (await api.patch<UserResponse>("/api/auth/me/", { email })).user;
}

/** Change the password: this browser stays signed in; every token and other session ends. */
export async function changePassword(oldPassword: string, newPassword: string): Promise<User> {
  const body = { old_password: oldPassword, new_password: newPassword };
  return (await api.post<UserResponse>("/api/auth/password/", body)).user;
}
