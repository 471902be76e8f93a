import { useCallback, useEffect, useRef, useState } from "react";

import { ApiError, isAbortError } from "../lib/api-client";

type Options = {
  /** Poll every this many milliseconds while the page is visible. */
  pollMs?: number;
};

type State<T> = {
  key: string;
  data?: T;
  error?: ApiError;
};

export type Resource<T> = {
  data: T | undefined;
  error: ApiError | undefined;
  isLoading: boolean;
  /** Load again now (after a click). A request already in flight is followed by one more. */
  refresh: () => void;
  /** Show a change the server has already confirmed (a hold's answer) before the next load. */
  update: (change: (data: T) => T) => void;
};

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError("Something went wrong. Please try again.", 0, "client_error");
}

/**
 * Loads a resource for `key` and, with `pollMs`, keeps it fresh:
 * - never two requests at once: the next poll is scheduled only after the previous one finished;
 * - paused while the tab is hidden, refreshed as soon as it is visible again;
 * - stopped (and the request aborted) when the component unmounts or `key` changes.
 * On an error the last good data stays, with `error` set.
 */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>, { pollMs }: Options = {}): Resource<T> {
  const [state, setState] = useState<State<T>>({ key });
  const loadRef = useRef(load);
  const refreshRef = useRef<() => void>(() => {});

  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let stopped = false;
    let inFlight = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;

    const schedule = () => {
      clearTimeout(timer);
      if (pollMs && document.visibilityState !== "hidden") timer = setTimeout(run, pollMs);
    };

    async function run() {
      if (stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      clearTimeout(timer);
      inFlight = true;
      controller = new AbortController();
      try {
        const data = await loadRef.current(controller.signal);
        if (!stopped) setState({ key, data });
      } catch (error) {
        if (!stopped && !isAbortError(error)) {
          setState((previous) => ({ key, data: previous.key === key ? previous.data : undefined, error: asApiError(error) }));
        }
      } finally {
        inFlight = false;
        if (!stopped) {
          if (again) {
            again = false;
            void run();
          } else {
            schedule();
          }
        }
      }
    }

    const onVisibilityChange = () => {
      if (document.visibilityState === "hidden") clearTimeout(timer);
      else void run();
    };

    refreshRef.current = () => void run();
    void run();
    if (pollMs) document.addEventListener("visibilitychange", onVisibilityChange);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener("visibilitychange", onVisibilityChange);
    };
  }, [key, pollMs]);

  const refresh = useCallback(() => refreshRef.current(), []);
  const update = useCallback(
    (change: (data: T) => T) =>
      setState((previous) =>
        previous.key === key && previous.data !== undefined ? { ...previous, data: change(previous.data) } : previous,
      ),
    [key],
  );
  const current = state.key === key ? state : { key };
  return {
    data: current.data,
    error: current.error,
    isLoading: current.data === undefined && current.error === undefined,
    refresh,
    update,
  };
}
