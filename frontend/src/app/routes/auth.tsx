import { Link, useNavigate, useSearchParams } from "react-router";

import { LoginForm } from "../../features/auth/components/login-form";
import { RegisterForm } from "../../features/auth/components/register-form";

/** Where to go after logging in: a path inside this app only (never another site). */
function useNextPath(): string {
  const next = useSearchParams()[0].get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function LoginRoute() {
  const navigate = useNavigate();
  const next = useNextPath();
  return (
    <section className="narrow">
      <h1>Log in</h1>
      <LoginForm onDone={() => navigate(next, { replace: true })} />
      <p>
        New here? <Link to={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
      </p>
    </section>
  );
}

export function RegisterRoute() {
  const navigate = useNavigate();
  const next = useNextPath();
  return (
    <section className="narrow">
      <h1>Create an account</h1>
      <RegisterForm onDone={() => navigate(next, { replace: true })} />
      <p>
        Already registered? <Link to={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
      </p>
    </section>
  );
}

export function NotFoundRoute() {
  return (
    <>
      <h1>Page not found</h1>
      <Link to="/">Back to events</Link>
    </>
  );
}
