import { type FormEvent, useState } from "react";

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
      <label htmlFor="register-username">Username</label>
      <input
        id="register-username"
        name="username"
        autoComplete="username"
        required
        aria-invalid={Boolean(problem("username"))}
        aria-describedby="register-username-error"
      />
      <span id="register-username-error" className="field-error">
        {problem("username")}
      </span>
      <label htmlFor="register-email">Email (optional)</label>
      <input
        id="register-email"
        name="email"
        type="email"
        autoComplete="email"
        aria-invalid={Boolean(problem("email"))}
        aria-describedby="register-email-error"
      />
      <span id="register-email-error" className="field-error">
        {problem("email")}
      </span>
      <label htmlFor="register-password">Password</label>
      <input
        id="register-password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        aria-invalid={Boolean(problem("password"))}
        aria-describedby="register-password-error"
      />
      <span id="register-password-error" className="field-error">
        {problem("password")}
      </span>
      <ErrorMessage>{error?.message}</ErrorMessage>
      <button type="submit" className="primary" disabled={submitting}>
        Create account
      </button>
    </form>
  );
}
