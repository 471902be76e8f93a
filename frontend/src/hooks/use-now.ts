import { useEffect, useState } from "react";

/**
 * The server's time as this device knows it (`Date.now() + offset`, the offset taken from the
 * server's own clock in its answers), updated every `intervalMs` while `active` (for countdowns).
 */
export function useNow(intervalMs = 1000, active = true, offset = 0): number {
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now() + offset);
    const catchUp = setTimeout(tick, 0); // the clock did not move while inactive
    const timer = setInterval(tick, intervalMs);
    return () => {
      clearTimeout(catchUp);
      clearInterval(timer);
    };
  }, [intervalMs, active, offset]);
  return now;
}

/**
 * The server's time, updated only when one of `moments` (epoch ms, server time) is reached: what
 * a big seat map needs to show a hold running out, without re-rendering every second.
 */
export function useNowAt(moments: number[], offset = 0): number {
  const [now, setNow] = useState(() => Date.now() + offset);
  const next = Math.min(...moments.filter((moment) => moment > now));
  useEffect(() => {
    const tick = () => setNow(Date.now() + offset);
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(tick, Math.max(0, next - (Date.now() + offset)) + 20);
    return () => clearTimeout(timer);
  }, [next, offset]);
  return now;
}
