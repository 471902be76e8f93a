import { screen, waitFor } from "@testing-library/react";
import { expect } from "vitest";

/**
 * The page's status region once it says `text`. The region is always in the page (so that every
 * change is announced), so `findByRole("status")` would hand it over at once, before the message
 * it is awaited for has arrived.
 */
export function findStatus(text: string | RegExp): Promise<HTMLElement> {
  return waitFor(() => {
    const status = screen.getByRole("status");
    expect(status).toHaveTextContent(text);
    return status;
  });
}
