import type { ReactNode } from "react";

/** An error shown inline, next to what failed; assistive technology announces it at once. */
export function ErrorMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

/** A polite live region for results ("Seat A1 held"); always rendered so changes are announced. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <p className="status" role="status" aria-live="polite">
      {children}
    </p>
  );
}
