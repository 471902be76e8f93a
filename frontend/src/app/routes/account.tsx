import { Navigate } from "react-router";

import { PageHeading } from "../../components/page-heading";
import { ChangePasswordForm } from "../../features/auth/components/change-password-form";
import { EmailForm } from "../../features/auth/components/email-form";
import { useAuth } from "../../features/auth/hooks/use-auth";

/** `/account`: the e-mail address tickets go to, and the password. */
export function AccountRoute() {
  const { user, isLoading } = useAuth();
  if (isLoading) return <p>Loading…</p>;
  if (!user) return <Navigate to="/login?next=/account" replace />;
  return (
    <div className="narrow">
      <PageHeading title="Account settings" />
      <p>Signed in as {user.username}.</p>
      <section className="panel" aria-labelledby="account-email-heading">
        <h2 id="account-email-heading">E-mail address</h2>
        <p className="hint">Your tickets, their confirmation and password reset links go to this address.</p>
        <EmailForm
          current={user.email ?? ""}
          thanks={(email) => `Saved: we will send your tickets and any reset link to ${email}.`}
        />
      </section>
      <section className="panel" aria-labelledby="account-password-heading">
        <h2 id="account-password-heading">Change password</h2>
        <ChangePasswordForm />
      </section>
    </div>
  );
}
