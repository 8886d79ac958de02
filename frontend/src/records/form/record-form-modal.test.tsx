import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accountMeta, contactMeta } from "../../testing/fixtures";
import { mockFetch, renderWithApp } from "../../testing/render";
import { RecordFormModal } from "./record-form-modal";

afterEach(() => vi.unstubAllGlobals());

describe("RecordFormModal", () => {
  it("shows the server's field errors inline under each field", async () => {
    mockFetch(() => [
      400,
      { code: "validation_error", message: "Invalid input.", errors: { name: ["This field is required."], phone: ["Enter a valid phone."] } },
    ]);
    renderWithApp(<RecordFormModal meta={accountMeta} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Phone"), { target: { value: "abc" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("This field is required.")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("We hit a snag. Review the errors on this page.");
    expect(screen.getByLabelText(/Account Name/)).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Phone")).toHaveAccessibleDescription("Enter a valid phone.");
  });

  it("creates the record with only the filled fields and shows a success toast with a link", async () => {
    const onClose = vi.fn();
    const calls = mockFetch(() => [201, { id: 9, version: 1, name: "Acme" }]);
    renderWithApp(<RecordFormModal meta={accountMeta} onClose={onClose} />);
    fireEvent.change(screen.getByLabelText(/Account Name/), { target: { value: "Acme" } });
    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "Customer" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0]).toMatchObject({ method: "POST", url: "/api/v1/accounts", body: { name: "Acme", type: "Customer" } });
    expect(await screen.findByText(/Account “Acme” was created./)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Show" })).toHaveAttribute("href", "/o/account/9");
  });

  it("pre-fills and locks the parent lookup", () => {
    mockFetch(() => [200, {}]);
    renderWithApp(
      <RecordFormModal meta={contactMeta} initialValues={{ account_id: 3, account_name: "Acme" }} lockedFields={["account_id"]} onClose={() => undefined} />,
    );
    const lookup = screen.getByLabelText(/Account Name/);
    expect(lookup).toHaveValue("Acme");
    expect(lookup).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Remove selected option" })).toBeNull();
  });

  it("sends only changed fields with the version when editing, and shows a conflict", async () => {
    const calls = mockFetch(() => [
      409,
      { code: "version_conflict", message: "This record has been modified by another user since you opened it.", current_version: 4 },
    ]);
    renderWithApp(<RecordFormModal meta={accountMeta} record={{ id: 5, version: 3, name: "Acme", phone: "1", type: "Customer" }} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Phone"), { target: { value: "2" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: "PATCH", url: "/api/v1/accounts/5", body: { phone: "2", version: 3 } });
    expect(await screen.findAllByText(/This record has been modified by another user since you opened it./)).not.toHaveLength(0);
  });
});
