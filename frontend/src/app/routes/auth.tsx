import { Link, useNavigate, useParams, useSearchParams } from "react-router";

import { ForgotPasswordForm } from "../../features/auth/components/forgot-password-form";
import { LoginForm } from "../../features/auth/components/login-form";
import { RegisterForm } from "../../features/auth/components/register-form";
import { ResetPasswordForm } from "../../features/auth/components/reset-password-form";
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

/** `/forgot-password`: ask for a link to choose a new password. */
export function ForgotPasswordRoute() {
  return (
    <section className="narrow">
      <PageHeading title="Forgot your password?" />
      <p>Give the e-mail address of your account and we will send you a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p>
        Remembered it? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}

/** `/reset-password/:uid/:token`: the page the reset e-mail links to. */
export function ResetPasswordRoute() {
  const { uid = "", token = "" } = useParams();
  return (
    <section className="narrow">
      <PageHeading title="Choose a new password" />
      <ResetPasswordForm uid={uid} token={token} />
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
