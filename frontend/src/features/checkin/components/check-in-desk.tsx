import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";

import { ErrorMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import { checkInCountsQuery } from "../api/check-in";
import { useCheckIn } from "../hooks/use-check-in";
import { CameraScanner } from "./camera-scanner";
import { CheckInResult } from "./check-in-result";

export const STAFF_ONLY = "Only staff can check tickets in.";

/**
 * The door of one event, for staff on a phone or at a desk: a code typed (by a person, or by a USB
 * or Bluetooth scanner, which ends with Enter) or read by the camera is checked in at once; the
 * answer is shown big and said aloud; the field is emptied and keeps the focus for the next one.
 */
export function CheckInDesk({ eventId }: { eventId: number }) {
  const counts = useQuery(checkInCountsQuery(eventId));
  const { latest, submit, checking } = useCheckIn(eventId);
  const [camera, setCamera] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  // A scanner types wherever the focus is: the page is for this field, so it starts there.
  useEffect(() => field.current?.focus(), []);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = field.current!;
    const code = input.value;
    input.value = "";
    input.focus();
    void submit(code);
  }

  if (counts.error instanceof ApiError && counts.error.status === 403) {
    return <p className="notice">{STAFF_ONLY}</p>;
  }
  return (
    <div className="checkin">
      <p className="checkin__count">
        {counts.data ? `${counts.data.checked_in} of ${counts.data.tickets} checked in` : "Counting tickets…"}
      </p>
      <ErrorMessage>{counts.error?.message}</ErrorMessage>
      <form className="checkin__form" onSubmit={handleSubmit}>
        <label htmlFor="ticket-code">Ticket code</label>
        <div className="checkin__entry">
          <input
            id="ticket-code"
            ref={field}
            name="code"
            autoComplete="off"
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            enterKeyHint="go"
            required
          />
          <button type="submit" className="primary">
            Check in
          </button>
        </div>
      </form>
      <CheckInResult scan={latest} checking={checking} />
      <button type="button" className="checkin__camera" onClick={() => setCamera(!camera)}>
        {camera ? "Stop camera" : "Scan with camera"}
      </button>
      {camera && <CameraScanner onCode={(code) => void submit(code)} />}
    </div>
  );
}
