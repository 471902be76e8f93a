import { type FormEvent, useState } from "react";

import { fieldProblem, FormField } from "../../../components/form-field";
import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import { useUpdateEmail } from "../hooks/use-account";

/** The account's e-mail address: where tickets and password reset links go. */
export function EmailForm({ current }: { current: string }) {
  const update = useUpdateEmail();
  const [saved, setSaved] = useState("");
  const error = update.error instanceof ApiError ? update.error : null;
  const problem = fieldProblem(error, "email");

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email")).trim();
    setSaved("");
    update.mutate(email, {
      onSuccess: (user) => setSaved(`Saved: we will send your tickets and any reset link to ${user.email ?? email}.`),
    });
  }

  return (
    <form className="form" onSubmit={handleSubmit}>
      <FormField
        id="account-email"
        name="email"
        label="E-mail address"
        type="email"
        autoComplete="email"
        defaultValue={current}
        required
        problem={problem}
      />
      <ErrorMessage>{update.error && !problem ? update.error.message : ""}</ErrorMessage>
      <StatusMessage>{saved}</StatusMessage>
      <button type="submit" className="primary" disabled={update.isPending}>
        Save e-mail address
      </button>
    </form>
  );
}
