import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sessionQuery } from "../../lib/session";
import { sessionUser } from "../../testing/fixtures";
import { mockFetch, renderWithApp } from "../../testing/render";
import { LoginPage } from "./login-page";

afterEach(() => vi.unstubAllGlobals());

const ORGANIZATIONS = [
  { id: 3, name: "Acme Agency" },
  { id: 7, name: "Rival Agency" },
];

function renderSignedOut() {
  return renderWithApp(<LoginPage />, { path: "/login", session: null });
}

function fillAndSubmit() {
  fireEvent.change(screen.getByLabelText("Email"), { target: { value: "pat@shared.example" } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: "Correct-Horse-Battery-9" } });
  fireEvent.click(screen.getByRole("button", { name: "Log In" }));
}

describe("LoginPage", () => {
  it("signs in with the cookie and never asks for the token in the body", async () => {
    const calls = mockFetch((call) => (call.url.endsWith("auth/login") ? [200, { user: sessionUser }] : [401, null]));
    const { queryClient } = renderSignedOut();
    fillAndSubmit();
    await waitFor(() => expect(queryClient.getQueryData(sessionQuery.queryKey)).toEqual(sessionUser));
    const login = calls.find((call) => call.url.endsWith("auth/login"))!;
    expect(login.body).toEqual({ email: "pat@shared.example", password: "Correct-Horse-Battery-9" });
  });

  it("asks which organization when the password fits accounts in several", async () => {
    const calls = mockFetch((call) => {
      if (!call.url.endsWith("auth/login")) return [401, null];
      const body = call.body as { organization?: number };
      if (body.organization === undefined) {
        return [
          400,
          {
            code: "organization_required",
            message: "Choose one.",
            errors: { organization: ["Choose the organization to sign in to."] },
            organizations: ORGANIZATIONS,
          },
        ];
      }
      return [200, { user: sessionUser }];
    });
    const { queryClient } = renderSignedOut();
    fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent("several organizations");
    fireEvent.change(screen.getByLabelText("Organization"), { target: { value: "7" } });
    fireEvent.click(screen.getByRole("button", { name: "Log In" }));
    await waitFor(() => expect(queryClient.getQueryData(sessionQuery.queryKey)).toEqual(sessionUser));
    const logins = calls.filter((call) => call.url.endsWith("auth/login"));
    expect(logins.map((call) => (call.body as { organization?: number }).organization)).toEqual([undefined, 7]);
  });
});
