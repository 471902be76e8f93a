import { QueryClientProvider } from "@tanstack/react-query";
import { type ComponentType, lazy, useState } from "react";
import { BrowserRouter, Route, Routes } from "react-router";

import { AuthProvider } from "../features/auth/hooks/use-auth";
import { createQueryClient } from "../lib/react-query";
import { Layout } from "./layout";
import { EventRoute } from "./routes/event";
import { EventsRoute } from "./routes/events";

/** A route loaded when first opened: the events and their seat maps come in the first download,
 * the rest (accounts, reservations, the door's camera) in chunks of their own. */
function later<Module>(load: () => Promise<Module>, name: keyof Module) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const auth = () => import("./routes/auth");
const AccountRoute = later(() => import("./routes/account"), "AccountRoute");
const CheckInRoute = later(() => import("./routes/checkin"), "CheckInRoute");
const ReservationRoute = later(() => import("./routes/reservation"), "ReservationRoute");
const ReservationsRoute = later(() => import("./routes/reservations"), "ReservationsRoute");
const LoginRoute = later(auth, "LoginRoute");
const RegisterRoute = later(auth, "RegisterRoute");
const ForgotPasswordRoute = later(auth, "ForgotPasswordRoute");
const ResetPasswordRoute = later(auth, "ResetPasswordRoute");
const NotFoundRoute = later(auth, "NotFoundRoute");

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<EventsRoute />} />
        <Route path="events/:eventId" element={<EventRoute />} />
        <Route path="reservations" element={<ReservationsRoute />} />
        <Route path="reservations/:reservationId" element={<ReservationRoute />} />
        <Route path="checkin/:eventId" element={<CheckInRoute />} />
        <Route path="account" element={<AccountRoute />} />
        <Route path="login" element={<LoginRoute />} />
        <Route path="register" element={<RegisterRoute />} />
        <Route path="forgot-password" element={<ForgotPasswordRoute />} />
        <Route path="reset-password/:uid/:token" element={<ResetPasswordRoute />} />
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AuthProvider>
          <AppRoutes />
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
