import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { renderWithApp } from "../testing/render";
import { Modal } from "./modal";

function renderModal(onClose = vi.fn()) {
  renderWithApp(
    <Modal title="New Account" onClose={onClose} footer={<button type="button">Save</button>}>
      <input aria-label="Account Name" />
    </Modal>,
  );
  return onClose;
}

describe("Modal", () => {
  it("moves focus into the dialog and closes on Escape", () => {
    const onClose = renderModal();
    expect(screen.getByLabelText("Account Name")).toHaveFocus();
    fireEvent.keyDown(document, { key: "Escape" });
    expect(onClose).toHaveBeenCalledOnce();
  });

  it("keeps Tab and Shift+Tab inside the dialog", () => {
    renderModal();
    const save = screen.getByRole("button", { name: "Save" });
    save.focus();
    fireEvent.keyDown(document, { key: "Tab" });
    const first = screen.getByRole("dialog").querySelector("button");
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(document, { key: "Tab", shiftKey: true });
    expect(save).toHaveFocus();
  });
});
