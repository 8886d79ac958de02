import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { AddProductModal } from "./add-product-modal";

afterEach(() => vi.unstubAllGlobals());

const catalog = {
  count: 2,
  results: [
    { id: 4, name: "Logo Design", product_code: "BR-LOGO", standard_list_price: "800.00", is_retainer_product: false },
    { id: 5, name: "Monthly SEO", product_code: "SEO-M", standard_list_price: "450.00", is_retainer_product: true },
  ],
};

describe("AddProductModal", () => {
  it("picks a product in the combobox and saves it with the list price", async () => {
    const calls = mockFetch((call) => (call.method === "POST" ? [201, { id: 1 }] : [200, catalog]));
    const onClose = vi.fn();
    renderWithApp(<AddProductModal opportunityId={12} onClose={onClose} />);

    const input = screen.getByRole("combobox", { name: /Product/ });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: "lo" } });
    const option = await screen.findByRole("option", { name: /Logo Design/ });
    expect(option).toHaveTextContent("BR-LOGO");
    expect(await screen.findByRole("option", { name: /Monthly SEO/ })).toHaveTextContent("Retainer");
    const chosen = await screen.findByRole("option", { name: /Logo Design/ });
    fireEvent.mouseDown(chosen);

    // the chosen product stands in the field, the sales price defaults to its list price
    expect(screen.getByRole("textbox", { name: /Product$/ })).toHaveValue("Logo Design");
    expect(screen.getByLabelText(/Sales Price/)).toHaveValue(800);
    fireEvent.change(screen.getByLabelText(/Quantity/), { target: { value: "2" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls.find((call) => call.method === "POST")).toMatchObject({
      url: "/api/v1/opportunities/12/line_items",
      body: { product_id: 4, quantity: "2", sale_price: "800.00" },
    });
  });

  it("asks for a product before saving and sends nothing", async () => {
    const calls = mockFetch(() => [200, catalog]);
    renderWithApp(<AddProductModal opportunityId={12} onClose={() => undefined} />);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Select a product.")).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: /Product/ })).toHaveAttribute("aria-invalid", "true");
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(0);
  });
});
