import { type ReactNode, useEffect, useRef } from "react";
import { useNavigationType } from "react-router";

export const SITE_NAME = "Seat reservations";

/**
 * A page's heading: sets the document title and, when the route changes, moves focus to the
 * heading, so that a screen reader announces the new page and keyboard users start from its top.
 */
export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const arrival = useNavigationType();
  useEffect(() => {
    document.title = `${title} · ${SITE_NAME}`;
  }, [title]);
  useEffect(() => {
    // Not on the first page of a visit (a "POP" at the start of the history): there the browser's
    // own start is right. After a link, a redirect (logging in) or Back, the new page's heading.
    if (arrival !== "POP" || window.history.state?.idx > 0) heading.current?.focus();
  }, [arrival]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}
