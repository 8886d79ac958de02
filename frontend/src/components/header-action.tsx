import { useState, type ReactNode } from "react";

export type HeaderActionProps = {
  label: string;
  variant?: "neutral" | "brand" | "text-destructive";
  /** The dialog the button opens; `close` hides it again. */
  dialog: (close: () => void) => ReactNode;
};

/** A button in a page header's button group that opens a dialog (confirm, or a small form). */
export function HeaderAction({ label, variant = "neutral", dialog }: HeaderActionProps) {
  const [open, setOpen] = useState(false);
  return (
    <li>
      <button type="button" className={`slds-button slds-button_${variant}`} onClick={() => setOpen(true)}>
        {label}
      </button>
      {open ? dialog(() => setOpen(false)) : null}
    </li>
  );
}
