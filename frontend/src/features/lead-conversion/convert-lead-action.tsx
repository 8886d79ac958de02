import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { ConvertLeadModal } from "./convert-lead-modal";

/** "Convert" in the lead's highlights panel; hidden once the lead is converted. */
export function ConvertLeadAction({ record, canWrite, refresh }: RecordExtensionProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const hidden = !canWrite || record.status === "Converted" || record.is_active === false;
  // The modal stays open on its success screen after the lead turns Converted.
  if (hidden && !open) return null;
  return (
    <li>
      {hidden ? null : (
        <button type="button" className="slds-button slds-button_brand" onClick={() => setOpen(true)}>
          {t("sales.convert.button")}
        </button>
      )}
      {open ? (
        <ConvertLeadModal
          lead={record}
          onClose={() => {
            setOpen(false);
            refresh();
          }}
        />
      ) : null}
    </li>
  );
}
