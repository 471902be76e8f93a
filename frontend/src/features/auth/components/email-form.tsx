import { type FormEvent, type ReactNode, useId, useState } from "react";

import { fieldProblem, FormField } from "../../../components/form-field";
import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import type { User } from "../../../lib/types";
import { useUpdateEmail } from "../hooks/use-account";

type Props = {
  /** The address the account has now ("" for none). */
  current?: string;
  /** Names the form (its first line); without it the page's heading does. */
  title?: string;
  /** What to say once the address is saved. */
  thanks: (email: string) => string;
  /** Called with the user once the address is saved (the signed-in user in the cache has it too). */
  onDone?: (user: User) => void;
  /** More buttons beside Save. */
  children?: ReactNode;
};

/** The account's e-mail address (`PATCH /api/auth/me/`): where tickets and password reset links go. */
export function EmailForm({ current = "", title, thanks, onDone, children }: Props) {
  const id = useId();
  const update = useUpdateEmail();
  const [saved, setSaved] = useState("");
  const error = update.error instanceof ApiError ? update.error : null;
  const problem = fieldProblem(error, "email");

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email")).trim();
    setSaved("");
    update.mutate(email, {
      onSuccess: (user) => {
        setSaved(thanks(user.email ?? email));
        onDone?.(user);
      },
    });
  }

  return (
    <form
      className={title ? "email-prompt form" : "form"}
      aria-labelledby={title ? `${id}-title` : undefined}
      onSubmit={handleSubmit}
    >
      {title && (
        <p id={`${id}-title`} className="email-prompt__title">
          {title}
        </p>
      )}
      <FormField
        id={`${id}-email`}
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
      <div className="button-row">
        <button type="submit" className="primary" disabled={update.isPending}>
          Save e-mail address
        </button>
        {children}
      </div>
    </form>
  );
}
