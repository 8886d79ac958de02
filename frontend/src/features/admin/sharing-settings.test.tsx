import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { SharingSettings } from "./sharing-settings-page";

afterEach(() => vi.unstubAllGlobals());

const defaults = { Account: "PublicReadWrite", Opportunity: "PublicReadWrite", Contact: "PublicReadWrite" };

describe("SharingSettings", () => {
  it("sends only the defaults that changed and shows what was saved", async () => {
    const calls = mockFetch((call) => (call.method === "PUT" ? [200, { ...defaults, ...(call.body as object) }] : [200, defaults]));
    renderWithApp(<SharingSettings />);
    const select = await screen.findByLabelText("Default access of Opportunities");
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    fireEvent.change(select, { target: { value: "Private" } });
    expect(screen.getByText("Only the owner, the users above them, Admins and users it is shared with.")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Sharing settings saved.")).toBeInTheDocument();
    expect(calls.find((call) => call.method === "PUT")).toMatchObject({ url: "/api/v1/organization/sharing", body: { Opportunity: "Private" } });
    await waitFor(() => expect(screen.getByRole("button", { name: "Save" })).toBeDisabled());
  });

  it("shows the server's refusal", async () => {
    mockFetch((call) =>
      call.method === "PUT"
        ? [400, { code: "validation_error", message: "Some sharing settings are not valid.", errors: { Account: ["One of Private."] } }]
        : [200, defaults],
    );
    renderWithApp(<SharingSettings />);
    fireEvent.change(await screen.findByLabelText("Default access of Accounts"), { target: { value: "PublicReadOnly" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("One of Private.")).toBeInTheDocument();
  });
});
