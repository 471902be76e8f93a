import { type ReactNode, useEffect, useRef } from "react";

export const SITE_NAME = "Seat reservations";

/**
 * A page's heading: sets the document title and, when the route changes, moves focus to the
 * heading, so that a screen reader announces the new page and keyboard users start from its top.
 */
export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${SITE_NAME}`;
  }, [title]);
  useEffect(() => {
    // Not on the first page of a visit: there the browser's own start is right.
    if (window.history.state?.idx > 0) heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1} className="page-heading">
      {children ?? title}
    </h1>
  );
}
