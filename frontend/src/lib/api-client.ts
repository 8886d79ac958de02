import i18next from "i18next";
/** Thin fetch wrapper for the CRM API: same-origin cookie auth, CSRF header on writes, typed errors. */

export const API_BASE = "/api/v1";

export type ApiErrorBody = {
  code: string;
  message: string;
  errors?: Record<string, string[] | string>;
  current_version?: number;
  /** With `organization_required` (sign-in): the organizations whose account fits the password. */
  organizations?: { id: number; name: string }[];
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: Record<string, string[]>;
  readonly body: ApiErrorBody | null;

  constructor(status: number, body: ApiErrorBody | null) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = body?.code ?? "http_error";
    this.body = body;
    const fieldErrors: Record<string, string[]> = {};
    for (const [field, value] of Object.entries(body?.errors ?? {})) {
      fieldErrors[field] = Array.isArray(value) ? value.map(String) : [String(value)];
    }
    this.fieldErrors = fieldErrors;
  }

  get isConflict(): boolean {
    return this.status === 409 && this.code === "version_conflict";
  }
}

/** A page of a list endpoint: page numbers (`count` stops at the server's cap) or keyset (`?cursor=`, no count). */
export type Page<T> = {
  /** Rows matching, at most the server's cap; null on a keyset (`?cursor=`) page. */
  count: number | null;
  /** True when there are more rows than `count` says. */
  count_capped?: boolean;
  next: string | null;
  previous: string | null;
  /** On a keyset page: the `cursor` of the following page, null on the last one. */
  next_cursor?: string | null;
  results: T[];
};

export function readCookie(name: string): string | null {
  const match = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function buildUrl(path: string, query?: Query): string {
  const url = `${API_BASE}/${path.replace(/^\//, "")}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  if (!text) return url;
  return `${url}${url.includes("?") ? "&" : "?"}${text}`;
}

let unauthorizedHandler: (() => void) | null = null;

/** Called on any 401 so the app can drop the cached session and show the sign-in page. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

export async function apiRequest<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  options: { query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": i18next.language || "en" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") {
    const csrf = readCookie("csrftoken");
    if (csrf) headers["X-CSRFToken"] = csrf;
  }
  const response = await fetch(buildUrl(path, options.query), {
    method,
    headers,
    credentials: "same-origin",
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && unauthorizedHandler && !path.startsWith("auth/")) unauthorizedHandler();
    throw new ApiError(response.status, (data as ApiErrorBody | null) ?? null);
  }
  return data as T;
}

/** A multipart upload (a logo): the same cookie, CSRF and error handling as JSON requests. */
export async function apiUpload<T>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": i18next.language || "en" };
  const csrf = readCookie("csrftoken");
  if (csrf) headers["X-CSRFToken"] = csrf;
  const response = await fetch(buildUrl(path), { method: "POST", headers, credentials: "same-origin", body: form });
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, (data as ApiErrorBody | null) ?? null);
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => apiRequest<T>("GET", path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>("POST", path, { body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>("PUT", path, { body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>("PATCH", path, { body }),
  delete: <T>(path: string) => apiRequest<T>("DELETE", path),
};

/** What to tell the user about a failed request: the server's field messages, else its message, else the fallback. */
export function errorText(error: unknown, fallback: string): string {
  if (error instanceof ApiError) {
    const details = Object.values(error.fieldErrors).flat();
    return details.length ? details.join(" ") : error.message;
  }
  return fallback;
}
