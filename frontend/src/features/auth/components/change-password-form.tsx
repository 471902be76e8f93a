import { type FormEvent, useState } from "react";

import { fieldProblem, FormField } from "../../../components/form-field";
import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import { useChangePassword } from "../hooks/use-account";
import { NewPasswordField } from "./new-password-field";

/** A new password: this browser stays signed in, every other session and API token ends. */
export function ChangePasswordForm() {
  const change = useChangePassword();
  const [done, setDone] = useState("");
  const error = change.error instanceof ApiError ? change.error : null;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    setDone("");
    change.mutate(
      { oldPassword: String(fields.get("old_password")), newPassword: String(fields.get("new_password")) },
      {
        onSuccess: () => {
          form.reset();
          setDone("Password changed. You stay signed in here; other devices and API tokens have been signed out.");
        },
      },
    );
  }

  return (
    <form className="form" onSubmit={handleSubmit}>
      <FormField
        id="account-old-password"
        name="old_password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        problem={fieldProblem(error, "old_password")}
      />
      <NewPasswordField id="account-new-password" name="new_password" problem={fieldProblem(error, "new_password")} />
      <ErrorMessage>{change.error?.message}</ErrorMessage>
      <StatusMessage>{done}</StatusMessage>
      <button type="submit" className="primary" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}
