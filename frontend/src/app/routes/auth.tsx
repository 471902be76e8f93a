import { Link, useNavigate, useSearchParams } from "react-router";

import { LoginForm } from "../../features/auth/components/login-form";
import { RegisterForm } from "../../features/auth/components/register-form";
import { PageHeading } from "../../components/page-heading";

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
      <PageHeading title="Log in" />
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
      <PageHeading title="Create an account" />
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
      <PageHeading title="Page not found" />
      <Link to="/">Back to events</Link>
    </>
  );
}
