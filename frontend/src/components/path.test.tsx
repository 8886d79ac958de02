import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Path } from "./path";

const steps = ["New", "In Progress", "Escalated", "Closed"].map((value) => ({ value, label: value }));

describe("Path", () => {
  it("marks earlier steps complete and the current one selected", () => {
    render(<Path steps={steps} current="Escalated" />);
    const options = screen.getAllByRole("option");
    expect(options).toHaveLength(4);
    expect(options[2]).toHaveAttribute("aria-selected", "true");
    expect(options[0].closest("li")).toHaveClass("slds-is-complete");
    expect(options[1].closest("li")).toHaveClass("slds-is-complete");
    expect(options[3].closest("li")).toHaveClass("slds-is-incomplete");
  });

  it("calls onSelect with the clicked step, not for the current one", () => {
    const onSelect = vi.fn();
    render(<Path steps={steps} current="New" onSelect={onSelect} />);
    fireEvent.click(screen.getByRole("option", { name: /New/ }));
    expect(onSelect).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("option", { name: /Closed/ }));
    expect(onSelect).toHaveBeenCalledWith("Closed");
  });

  it("does nothing when disabled", () => {
    const onSelect = vi.fn();
    render(<Path steps={steps} current="New" onSelect={onSelect} disabled />);
    fireEvent.click(screen.getByRole("option", { name: /Closed/ }));
    expect(onSelect).not.toHaveBeenCalled();
  });
});
