/**
 * A camera sees the same QR code in frame after frame: pass a code on once, and again only after it
 * has been out of sight for `quietMs` (each sighting restarts the wait), or when another code came
 * in between. Returns whether this sighting should be sent.
 */
export function createRepeatFilter(quietMs: number, now: () => number = () => Date.now()) {
  let last: { code: string; seenAt: number } | null = null;
  return (code: string): boolean => {
    const at = now();
    const fresh = last === null || last.code !== code || at - last.seenAt >= quietMs;
    last = { code, seenAt: at };
    return fresh;
  };
}
