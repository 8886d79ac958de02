import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi } from "vitest";
import { ToastProvider } from "../components/toast";
import { i18next } from "../lib/i18n";
import { sessionQuery, type SessionUser } from "../lib/session";
import { indexMeta, metaQuery } from "../records/metadata/use-object-meta";
import { accountMeta, activityMeta, contactMeta, contractMeta, opportunityMeta, paymentMeta, sessionUser } from "./fixtures";

export type FetchCall = { url: string; method: string; body: unknown };

/** Replace fetch with a router of (method, path) -> [status, body]; records every call. */
export function mockFetch(handler: (call: FetchCall) => [number, unknown]) {
  const calls: FetchCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = {
      url: String(input),
      method: init?.method ?? "GET",
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const [status, body] = handler(call);
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

export function renderWithApp(
  ui: ReactElement,
  { path = "/", route = "*", session = sessionUser }: { path?: string; route?: string; session?: SessionUser | null } = {},
) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  queryClient.setQueryData(metaQuery.queryKey, indexMeta([accountMeta, contactMeta, activityMeta, paymentMeta, opportunityMeta, contractMeta]));
  queryClient.setQueryData(sessionQuery.queryKey, session);
  return {
    queryClient,
    ...render(
      <I18nextProvider i18n={i18next}>
        <QueryClientProvider client={queryClient}>
          <MemoryRouter initialEntries={[path]}>
            <ToastProvider>
              <Routes>
                <Route path={route} element={ui} />
              </Routes>
            </ToastProvider>
          </MemoryRouter>
        </QueryClientProvider>
      </I18nextProvider>,
    ),
  };
}
