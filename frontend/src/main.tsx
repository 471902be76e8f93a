import "./index.css";

import { startTransition, StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app/app";

// The first render as a transition, which React does in slices and lets the browser paint and
// answer taps in between, instead of one long task while a phone starts the app.
startTransition(() => {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
