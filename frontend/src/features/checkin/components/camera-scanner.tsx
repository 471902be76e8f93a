import { useEffect, useEffectEvent, useRef, useState } from "react";

import { ErrorMessage } from "../../../components/messages";
import { createQrDetector } from "../scanner/detector";
import { createRepeatFilter } from "../scanner/repeat-filter";

/** A code in view is sent once; the same code again only after this long out of view. */
export const REPEAT_QUIET_MS = 3_000;
/** How often a frame is read (a phone reads a 640×480 frame in a few tens of ms). */
export const SCAN_EVERY_MS = 200;

function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError")
    return "The camera was not allowed. Allow it for this site in the browser's settings, or type the code.";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "This device has no camera we can use.";
  if (name === "NotReadableError") return "The camera is busy in another app. Close it and try again.";
  if (name === "NoCamera") return "This browser cannot open the camera here (it needs a secure https:// page).";
  return "The camera could not be started. Type the code instead.";
}

/**
 * The phone's back camera, read for QR codes until unmounted; `onCode` gets each code once while it
 * stays in view. Opening asks for the camera (getUserMedia); closing stops it.
 */
export function CameraScanner({ onCode }: { onCode: (code: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<"starting" | "scanning">("starting");
  const [problem, setProblem] = useState("");
  const found = useEffectEvent((code: string) => onCode(code));

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    const fresh = createRepeatFilter(REPEAT_QUIET_MS);

    async function start() {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException("No camera API", "NoCamera");
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
      const element = video.current;
      if (stopped || !element) return;
      element.srcObject = stream;
      await element.play();
      const detector = await createQrDetector();
      if (stopped) return;
      setState("scanning");
      const read = async () => {
        if (stopped) return;
        if (element.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
          const codes = await detector.detect(element).catch(() => []);
          for (const { rawValue } of codes) if (!stopped && rawValue && fresh(rawValue)) found(rawValue);
        }
        if (!stopped) timer = window.setTimeout(read, SCAN_EVERY_MS);
      };
      void read();
    }

    start().catch((error: unknown) => {
      if (!stopped) setProblem(cameraProblem(error));
    });
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  return (
    <div className="scanner">
      <video ref={video} className="scanner__video" muted playsInline aria-label="Camera view" />
      {problem ? (
        <ErrorMessage>{problem}</ErrorMessage>
      ) : (
        <p className="hint">{state === "starting" ? "Opening the camera…" : "Hold the ticket's QR code in the frame."}</p>
      )}
    </div>
  );
}
