import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";

import { FormField } from "../../../components/form-field";
import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { requestPasswordReset } from "../api/password-reset";

/** Ask for a reset link. The answer is the same whether or not an account has the address. */
export function ForgotPasswordForm() {
  const request = useMutation({ mutationFn: (email: string) => requestPasswordReset(email) });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate(String(new FormData(event.currentTarget).get("email")).trim());
  }

  return (
    <form className="form" onSubmit={handleSubmit}>
      <FormField id="forgot-email" name="email" label="E-mail address" type="email" autoComplete="email" required />
      <ErrorMessage>{request.error?.message}</ErrorMessage>
      <StatusMessage>
        {request.isSuccess &&
          "If an account has this address, we have sent it a link. It works once and for three days; check your spam folder too."}
      </StatusMessage>
      <button type="submit" className="primary" disabled={request.isPending}>
        Send me a link
      </button>
    </form>
  );
}
