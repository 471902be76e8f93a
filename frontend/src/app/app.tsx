import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { BrowserRouter, Route, Routes } from "react-router";

import { AuthProvider } from "../features/auth/hooks/use-auth";
import { createQueryClient } from "../lib/react-query";
import { Layout } from "./layout";
import { AccountRoute } from "./routes/account";
import { ForgotPasswordRoute, LoginRoute, NotFoundRoute, RegisterRoute, ResetPasswordRoute } from "./routes/auth";
import { CheckInRoute } from "./routes/checkin";
import { EventRoute } from "./routes/event";
import { EventsRoute } from "./routes/events";
import { ReservationRoute } from "./routes/reservation";
import { ReservationsRoute } from "./routes/reservations";

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
