/**
 * The one way the app talks to the API: JSON in and out, the session cookie, the CSRF header on
 * unsafe methods, and one error type built from the API's `{error, code}` shape.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(message: string, status: number, code: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

type RequestOptions = {
  method?: "GET" | "POST" | "PATCH";
  body?: unknown;
  signal?: AbortSignal;
};

export function readCookie(name: string): string | undefined {
  return document.cookie
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

export async function apiRequest<T>(path: string, { method = "GET", body, signal }: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") {
    const csrfToken = readCookie("csrftoken");
    if (csrfToken) headers["X-CSRFToken"] = decodeURIComponent(csrfToken);
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      // Always revalidate: the browser sends If-None-Match and the server answers 304 when unchanged.
      cache: "no-cache",
      signal,
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError("We could not reach the server. Check your connection and try again.", 0, "network_error");
  }
  const data = (await response.json().catch(() => null)) as
    | ({ success?: boolean; error?: string; code?: string; details?: Record<string, unknown> } & T)
    | null;
  if (!response.ok || !data || data.success !== true) {
    throw new ApiError(
      data?.error ?? `The server answered ${response.status}. Please try again.`,
      response.status,
      data?.code ?? "server_error",
      data?.details,
    );
  }
  return data;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: "POST", body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "PATCH", body }),
};
