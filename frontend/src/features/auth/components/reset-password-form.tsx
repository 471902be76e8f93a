import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef } from "react";
import { Link } from "react-router";

import { fieldProblem } from "../../../components/form-field";
import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import { confirmPasswordReset } from "../api/password-reset";
import { NewPasswordField } from "./new-password-field";

/** The page a reset link opens: choose a new password with the link's uid and token. */
export function ResetPasswordForm({ uid, token }: { uid: string; token: string }) {
  const reset = useMutation({ mutationFn: (password: string) => confirmPasswordReset(uid, token, password) });
  const error = reset.error instanceof ApiError ? reset.error : null;
  const signIn = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (reset.isSuccess) signIn.current?.focus(); // the form and its button are gone
  }, [reset.isSuccess]);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    reset.mutate(String(new FormData(event.currentTarget).get("password")));
  }

  return (
    <>
      <StatusMessage>{reset.isSuccess && "Password changed, you can sign in."}</StatusMessage>
      {reset.isSuccess ? (
        <p>
          <Link ref={signIn} to="/login">
            Log in with your new password
          </Link>
        </p>
      ) : (
        <form className="form" onSubmit={handleSubmit}>
          <NewPasswordField id="reset-password" name="password" problem={fieldProblem(error, "password")} />
          <ErrorMessage>{reset.error?.message}</ErrorMessage>
          {error?.details?.token !== undefined && (
            <p>
              <Link to="/forgot-password">Ask for a new link</Link>
            </p>
          )}
          <button type="submit" className="primary" disabled={reset.isPending}>
            Set new password
          </button>
        </form>
      )}
    </>
  );
}
