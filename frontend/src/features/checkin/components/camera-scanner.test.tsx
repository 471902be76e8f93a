import { act, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { QrDetector } from "../scanner/detector";
import { CameraScanner, SCAN_EVERY_MS } from "./camera-scanner";

const detect = vi.fn<QrDetector["detect"]>();
vi.mock("../scanner/detector", () => ({ createQrDetector: async () => ({ detect }) }));

function fakeCamera() {
  const track = { stop: vi.fn() };
  const stream = { getTracks: () => [track] } as unknown as MediaStream;
  const getUserMedia = vi.fn(async () => stream);
  vi.stubGlobal("navigator", { ...navigator, mediaDevices: { getUserMedia } });
  return { getUserMedia, track };
}

describe("CameraScanner", () => {
  beforeEach(() => {
    vi.spyOn(HTMLMediaElement.prototype, "play").mockResolvedValue(undefined);
    vi.spyOn(HTMLMediaElement.prototype, "readyState", "get").mockReturnValue(HTMLMediaElement.HAVE_ENOUGH_DATA);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    detect.mockReset();
  });

  it("opens the back camera and sends each code it reads once while it stays in view", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { getUserMedia, track } = fakeCamera();
    detect.mockResolvedValue([{ rawValue: "CODE-1" }]);
    const onCode = vi.fn();
    const { unmount } = render(<CameraScanner onCode={onCode} />);
    expect(await screen.findByText("Hold the ticket's QR code in the frame.")).toBeInTheDocument();
    expect(getUserMedia).toHaveBeenCalledWith({ video: { facingMode: { ideal: "environment" } }, audio: false });
    await act(() => vi.advanceTimersByTimeAsync(SCAN_EVERY_MS * 10)); // frame after frame: 2 s
    expect(detect.mock.calls.length).toBeGreaterThan(5);
    expect(onCode.mock.calls).toEqual([["CODE-1"]]);
    detect.mockResolvedValue([{ rawValue: "CODE-2" }]);
    await act(() => vi.advanceTimersByTimeAsync(SCAN_EVERY_MS * 2));
    await waitFor(() => expect(onCode).toHaveBeenLastCalledWith("CODE-2"));
    expect(onCode).toHaveBeenCalledTimes(2);
    unmount();
    expect(track.stop).toHaveBeenCalled(); // the camera's light goes off
  });

  it("says so when the camera is not allowed", async () => {
    vi.stubGlobal("navigator", {
      ...navigator,
      mediaDevices: { getUserMedia: vi.fn().mockRejectedValue(new DOMException("denied", "NotAllowedError")) },
    });
    render(<CameraScanner onCode={vi.fn()} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("The camera was not allowed");
  });

  it("says so where the browser has no camera API (a page that is not https)", async () => {
    vi.stubGlobal("navigator", { ...navigator, mediaDevices: undefined });
    render(<CameraScanner onCode={vi.fn()} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("needs a secure https:// page");
  });
});
