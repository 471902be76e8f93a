import { api } from "../../../lib/api-client";

/** E-mail a reset link to the account with this address, if any: the answer (202) is the same
 * either way, so nobody learns from it whether an account has the address. */
export async function requestPasswordReset(email: string): Promise<void> {
  await api.post("/api/auth/password-reset/", { email });
}

/** Set a new password with the link's uid and token (a link works once). */
export async function confirmPasswordReset(uid: string, token: string, password: string): Promise<void> {
  await api.post("/api/auth/password-reset/confirm/", { uid, token, password });
}
