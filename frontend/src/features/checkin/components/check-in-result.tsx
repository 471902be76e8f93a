import { formatTime } from "../../../lib/format";
import type { Scan } from "../hooks/use-check-in";

type Verdict = { tone: "in" | "stop"; headline: string; lines: string[] };

/** What the door says about a scan: "Come in" and where to sit, or why not. */
export function verdictOf(scan: Scan): Verdict {
  if (scan.admitted) {
    const { section, row, number, holder } = scan.admitted;
    return { tone: "in", headline: "Come in", lines: [`${section} · Row ${row} · Seat ${number}`, `Ticket of ${holder}`] };
  }
  const { code, details, message } = scan.refused;
  switch (code) {
    case "invalid_ticket":
      return { tone: "stop", headline: "Not a ticket", lines: ["This code is not one of our tickets."] };
    case "wrong_event":
      return {
        tone: "stop",
        headline: "Wrong event",
        lines: [`This ticket is for another event (event #${String(details?.event_id ?? "?")}).`],
      };
    case "ticket_cancelled":
      return { tone: "stop", headline: "Cancelled ticket", lines: ["This ticket's reservation was cancelled."] };
    case "already_checked_in": {
      const at = typeof details?.checked_in_at === "string" ? details.checked_in_at : null;
      return {
        tone: "stop",
        headline: "Already checked in",
        lines: [at ? `This ticket came in at ${formatTime(at)}.` : "This ticket has been used."],
      };
    }
    case "forbidden":
      return { tone: "stop", headline: "Not allowed", lines: ["Only staff can check tickets in."] };
    default:
      return { tone: "stop", headline: "Not checked in", lines: [message] };
  }
}

/**
 * The answer to the latest scan, big enough to read at arm's length: green to come in, red to stop.
 * A live region that is always in the page; each scan's answer replaces the last (a new element,
 * so that a screen reader says it even when it reads as the one before).
 */
export function CheckInResult({ scan, checking }: { scan: Scan | null; checking: boolean }) {
  const verdict = scan && verdictOf(scan);
  return (
    <div className="checkin-result" role="status" aria-live="assertive" aria-atomic="true">
      {verdict ? (
        <div key={scan.id} className={`verdict verdict--${verdict.tone}`}>
          <p className="verdict__headline">{verdict.headline}</p>
          {verdict.lines.map((line) => (
            <p key={line} className="verdict__line">
              {line}
            </p>
          ))}
        </div>
      ) : (
        <p className="hint">{checking ? "Checking…" : "Scan or type a ticket's code."}</p>
      )}
    </div>
  );
}
