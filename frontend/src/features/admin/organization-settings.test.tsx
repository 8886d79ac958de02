import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { OrganizationSettingsForm } from "./organization-settings-page";

afterEach(() => vi.unstubAllGlobals());

const settings = { id: 1, name: "Demo Agency", currency: "EUR", allow_fulfill_before_payment: false, version: 3 };

describe("OrganizationSettingsForm", () => {
  it("saves the fulfilment setting with the version read", async () => {
    const calls = mockFetch((call) => (call.method === "PATCH" ? [200, { ...settings, ...(call.body as object), version: 4 }] : [200, settings]));
    renderWithApp(<OrganizationSettingsForm />);
    const box = await screen.findByLabelText("Allow fulfilling orders before they are paid in full");
    expect(box).not.toBeChecked();
    fireEvent.click(box);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Organization settings were saved.")).toBeInTheDocument();
    expect(calls.find((call) => call.method === "PATCH")).toMatchObject({
      url: "/api/v1/organization",
      body: { name: "Demo Agency", allow_fulfill_before_payment: true, version: 3 },
    });
  });

  it("needs a name and shows the server's field errors", async () => {
    const calls = mockFetch((call) =>
      call.method === "PATCH"
        ? [400, { code: "validation_error", message: "Please correct the errors below.", errors: { name: ["Too long."] } }]
        : [200, settings],
    );
    renderWithApp(<OrganizationSettingsForm />);
    const name = await screen.findByLabelText(/Organization Name/);
    fireEvent.change(name, { target: { value: "  " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Complete this field.")).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "PATCH")).toHaveLength(0);
    fireEvent.change(name, { target: { value: "Acme" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByText("Too long.")).toBeInTheDocument());
  });
});
