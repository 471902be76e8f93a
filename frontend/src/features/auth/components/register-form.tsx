import { type FormEvent, type InputHTMLAttributes, useState } from "react";

import { fieldProblem, FormField } from "../../../components/form-field";
import { ErrorMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import { useAuth } from "../hooks/use-auth";
import { PASSWORD_RULES } from "../password-rules";

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

  const problem = (field: string) => fieldProblem(error, field);
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
        hint={PASSWORD_RULES}
        problem={problem("password")}
      />
      <ErrorMessage>{error?.message}</ErrorMessage>
      <button type="submit" className="primary" disabled={submitting}>
        Create account
      </button>
    </form>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { name: string; label: string; problem: string; hint?: string };

/** The shared field under the ids registration always had ("register-<name>"). */
function Field({ name, ...field }: FieldProps) {
  return <FormField id={`register-${name}`} name={name} {...field} />;
}
