import type { InputHTMLAttributes } from "react";

import type { ApiError } from "../lib/api-client";

/** The server's reasons for one field (`details.<field>` of a 400), as one sentence; "" if none. */
export function fieldProblem(error: ApiError | null | undefined, field: string): string {
  const messages = error?.details?.[field];
  return Array.isArray(messages) ? messages.join(" ") : "";
}

type Props = InputHTMLAttributes<HTMLInputElement> & {
  id: string;
  name: string;
  label: string;
  /** What the server found wrong with the value: shown under the field and announced with it. */
  problem?: string;
  /** How to fill it in (a password's rules): shown under the field, its description until a problem replaces it. */
  hint?: string;
};

/** A labelled input with its hint and its server-side problem. */
export function FormField({ id, label, problem = "", hint, ...input }: Props) {
  const describedBy = problem || !hint ? `${id}-error` : `${id}-hint`;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={Boolean(problem)} aria-describedby={describedBy} {...input} />
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      <span id={`${id}-error`} className="field-error">
        {problem}
      </span>
    </>
  );
}
