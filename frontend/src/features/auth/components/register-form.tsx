import { type FormEvent, type InputHTMLAttributes, useState } from "react";

import { ErrorMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import { useAuth } from "../hooks/use-auth";

function fieldErrors(error: ApiError, field: string): string {
  const messages = error.details?.[field];
  return Array.isArray(messages) ? messages.join(" ") : "";
}

export function RegisterForm({ onDone }: { onDone: () => void }) {
  const { register } = useAuth();
  const [error, setError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      await register(String(form.get("username")), String(form.get("password")), String(form.get("email") ?? ""));
      onDone();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError("Registration failed.", 0, "client_error"));
    } finally {
      setSubmitting(false);
    }
  }

  const problem = (field: string) => (error ? fieldErrors(error, field) : "");
  return (
    <form className="form" onSubmit={handleSubmit}>
      <Field name="username" label="Username" autoComplete="username" required problem={problem("username")} />
      <Field name="email" label="Email (optional)" type="email" autoComplete="email" problem={problem("email")} />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        problem={problem("password")}
      />
      <ErrorMessage>{error?.message}</ErrorMessage>
      <button type="submit" className="primary" disabled={submitting}>
        Create account
      </button>
    </form>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { name: string; label: string; problem: string };

/** A labelled input whose server-side problem is shown under it and announced with it. */
function Field({ name, label, problem, ...input }: FieldProps) {
  const id = `register-${name}`;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={Boolean(problem)} aria-describedby={`${id}-error`} {...input} />
      <span id={`${id}-error`} className="field-error">
        {problem}
      </span>
    </>
  );
}
