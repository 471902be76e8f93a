import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { User } from "../../../lib/types";
import { changePassword, updateEmail } from "../api/account";

/** Where `AuthProvider` (use-auth.tsx) keeps the signed-in user: an answer with the user updates it. */
const ME = ["me"] as const;

export function useUpdateEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (email: string) => updateEmail(email),
    onSuccess: (user: User) => queryClient.setQueryData(ME, user),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ oldPassword, newPassword }: { oldPassword: string; newPassword: string }) =>
      changePassword(oldPassword, newPassword),
    onSuccess: (user: User) => queryClient.setQueryData(ME, user),
  });
}
