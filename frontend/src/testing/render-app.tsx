import { MemoryRouter } from "react-router";

import { AppRoutes } from "../app/app";
import { AuthProvider } from "../features/auth/hooks/use-auth";
import type { User } from "../lib/types";
import { renderWithClient } from "./render";

export const staff: User = { id: 9, username: "door", is_staff: true, email: "door@example.com" };

/** The whole app (layout and routes) opened at `path`, as a link or a typed address would. */
export function renderApp(path: string) {
  return renderWithClient(
    <MemoryRouter initialEntries={[path]}>
      <AuthProvider>
        <AppRoutes />
      </AuthProvider>
    </MemoryRouter>,
  );
}
