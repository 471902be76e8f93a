import { type FormEvent, useState } from "react";
import { Link } from "react-router";

import { ErrorMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import { useAuth } from "../hooks/use-auth";

export function LoginForm({ onDone }: { onDone: () => void }) {
  const { login } = useAuth();
  const [error, setError] = useState("");
  const [submitting, setSubmitting] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError("");
    try {
      await login(String(form.get("username")), String(form.get("password")));
      onDone();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Logging in failed. Please try again.");
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form className="form" onSubmit={handleSubmit}>
      <label htmlFor="login-username">Username</label>
      <input id="login-username" name="username" autoComplete="username" required />
      <label htmlFor="login-password">Password</label>
      <input id="login-password" name="password" type="password" autoComplete="current-password" required />
      <Link to="/forgot-password" className="form-link">
        Forgot your password?
      </Link>
      <ErrorMessage>{error}</ErrorMessage>
      <button type="submit" className="primary" disabled={submitting}>
        Log in
      </button>
    </form>
  );
}
