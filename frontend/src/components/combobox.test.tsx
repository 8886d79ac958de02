import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { Combobox } from "./combobox";

type Fruit = { id: number; name: string };
const fruits: Fruit[] = [
  { id: 1, name: "Apple" },
  { id: 2, name: "Banana" },
  { id: 3, name: "Cherry" },
];

function Harness({ onSelect, onKeyDownOutside }: { onSelect: (fruit: Fruit) => void; onKeyDownOutside?: () => void }) {
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState<Fruit | null>(null);
  return (
    <div onKeyDown={onKeyDownOutside}>
      <label htmlFor="fruit">Fruit</label>
      <Combobox<Fruit>
        id="fruit"
        inputValue={text}
        onInputChange={setText}
        groups={[
          { key: "all", items: fruits.map((fruit) => ({ key: String(fruit.id), value: fruit, icon: "product", title: fruit.name, meta: `#${fruit.id}` })) },
        ]}
        onSelect={(fruit) => {
          setChosen(fruit);
          onSelect(fruit);
        }}
        selection={chosen ? { title: chosen.name, icon: "product" } : null}
        onClear={() => setChosen(null)}
      />
    </div>
  );
}

describe("Combobox", () => {
  it("moves through the options with the arrow keys and chooses with Enter", () => {
    const onSelect = vi.fn();
    render(<Harness onSelect={onSelect} />);
    const input = screen.getByRole("combobox", { name: "Fruit" });
    fireEvent.change(input, { target: { value: "a" } });
    expect(input).toHaveAttribute("aria-expanded", "true");
    expect(screen.getAllByRole("option")).toHaveLength(3);
    expect(screen.getByRole("option", { name: /Apple/ })).toHaveAttribute("aria-selected", "true");

    fireEvent.keyDown(input, { key: "ArrowDown" });
    fireEvent.keyDown(input, { key: "ArrowDown" });
    fireEvent.keyDown(input, { key: "ArrowDown" });
    const cherry = screen.getByRole("option", { name: /Cherry/ });
    expect(cherry).toHaveAttribute("aria-selected", "true");
    expect(input).toHaveAttribute("aria-activedescendant", cherry.id);
    fireEvent.keyDown(input, { key: "ArrowUp" });
    fireEvent.keyDown(input, { key: "Enter" });

    expect(onSelect).toHaveBeenCalledWith(fruits[1]);
    expect(screen.getByLabelText("Fruit")).toHaveValue("Banana");
    fireEvent.click(screen.getByRole("button", { name: "Remove selected option" }));
    expect(screen.getByRole("combobox", { name: "Fruit" })).toHaveValue("a");
  });

  it("closes the list on Escape without letting the key reach the dialog around it", () => {
    const outside = vi.fn();
    render(<Harness onSelect={vi.fn()} onKeyDownOutside={outside} />);
    const input = screen.getByRole("combobox", { name: "Fruit" });
    fireEvent.change(input, { target: { value: "b" } });
    fireEvent.keyDown(input, { key: "Escape" });
    expect(input).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(outside).not.toHaveBeenCalled();
  });

  it("chooses an option with the mouse", () => {
    const onSelect = vi.fn();
    render(<Harness onSelect={onSelect} />);
    fireEvent.focus(screen.getByRole("combobox", { name: "Fruit" }));
    fireEvent.mouseDown(screen.getByRole("option", { name: /Cherry/ }));
    expect(onSelect).toHaveBeenCalledWith(fruits[2]);
  });
});
