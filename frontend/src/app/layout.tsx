import { Suspense } from "react";
import { Link, NavLink, Outlet, useNavigate } from "react-router";

import { SITE_NAME } from "../components/page-heading";
import { useAuth } from "../features/auth/hooks/use-auth";

export function Layout() {
  const { user, isLoading, logout } = useAuth();
  const navigate = useNavigate();

  async function handleLogout() {
    await logout();
    navigate("/");
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          {SITE_NAME}
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Events
          </NavLink>
          {user && <NavLink to="/reservations" end>My reservations</NavLink>}
          {user && <NavLink to="/account">Account</NavLink>}
          {isLoading ? null : user ? (
            <>
              <span className="user">Signed in as {user.username}</span>
              <button type="button" className="link" onClick={handleLogout}>
                Log out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/login">Log in</NavLink>
              <NavLink to="/register">Register</NavLink>
            </>
          )}
        </nav>
      </header>
      <main id="main">
        <Suspense fallback={<p>Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
