import { type FormEvent, useId, useState } from "react";

import { fieldProblem, FormField } from "../../../components/form-field";
import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import type { User } from "../../../lib/types";
import { useUpdateEmail } from "../hooks/use-account";

type Props = {
  /** Called with the user once the address is saved (the signed-in user in the cache has it too). */
  onDone?: (user: User) => void;
  /** "Not now": the parent hides the prompt (and puts the focus somewhere sensible). */
  onDismiss: () => void;
};

/**
 * "Where should we send your tickets?": an inline form for customers whose account has no e-mail
 * address (they get no confirmation, tickets or reset links). Drop it in before reserving, or
 * beside tickets; it saves with `PATCH /api/auth/me/` and can be put off with "Not now".
 */
export function EmailPrompt({ onDone, onDismiss }: Props) {
  const id = useId();
  const update = useUpdateEmail();
  const [saved, setSaved] = useState("");
  const error = update.error instanceof ApiError ? update.error : null;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email")).trim();
    setSaved("");
    update.mutate(email, {
      onSuccess: (user) => {
        setSaved(`Thank you: we will send your tickets to ${user.email ?? email}.`);
        onDone?.(user);
      },
    });
  }

  return (
    <form className="email-prompt form" aria-labelledby={`${id}-title`} onSubmit={handleSubmit}>
      <p id={`${id}-title`} className="email-prompt__title">
        Where should we send your tickets?
      </p>
      <FormField
        id={`${id}-email`}
        name="email"
        label="E-mail address"
        type="email"
        autoComplete="email"
        required
        problem={fieldProblem(error, "email")}
      />
      <ErrorMessage>{update.error && !fieldProblem(error, "email") ? update.error.message : ""}</ErrorMessage>
      <StatusMessage>{saved}</StatusMessage>
      <div className="button-row">
        <button type="submit" className="primary" disabled={update.isPending}>
          Save e-mail address
        </button>
        <button type="button" onClick={onDismiss}>
          Not now
        </button>
      </div>
    </form>
  );
}
