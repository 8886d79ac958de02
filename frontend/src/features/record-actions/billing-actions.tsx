import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal } from "../../components/modal";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { ContractTermModal } from "./opportunity-actions";
import { useRecordAction } from "./use-record-action";

const CLOSED_ORDER = new Set(["Fulfilled", "Cancelled"]);

/** "Cancel Order" with a confirmation; hidden on fulfilled and cancelled orders. */
export function CancelOrderAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const action = useRecordAction({
    success: (order) => t("sales.order.cancelled", { number: String(order.order_number ?? "") }),
    invalidate: ["order", "payment"],
  });
  if (!canWrite || CLOSED_ORDER.has(String(record.status))) return null;
  const number = String(record.order_number ?? "");
  return (
    <li>
      <button type="button" className="slds-button slds-button_text-destructive" onClick={() => setOpen(true)}>
        {t("sales.order.cancel")}
      </button>
      {open ? (
        <ConfirmModal
          title={t("sales.order.cancel")}
          body={t("sales.order.cancelBody", { number })}
          confirmLabel={t("sales.order.cancel")}
          destructive
          busy={action.isPending}
          onCancel={() => setOpen(false)}
          onConfirm={() =>
            action
              .mutateAsync({ path: `orders/${record.id}/cancel`, body: { version: record.version } })
              .catch(() => undefined)
              .finally(() => setOpen(false))
          }
        />
      ) : null}
    </li>
  );
}

/** "Renew" on a contract: the next term as a new contract. */
export function RenewContractAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!canWrite || record.status === "Cancelled" || record.status === "Terminated") return null;
  const end = typeof record.end_date === "string" ? new Date(`${record.end_date}T00:00:00`) : null;
  const nextStart = end ? new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1) : undefined;
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    <li>
      <button type="button" className="slds-button slds-button_neutral" onClick={() => setOpen(true)}>
        {t("sales.contract.renew")}
      </button>
      {open ? (
        <ContractTermModal
          title={t("sales.contract.renewTitle")}
          body={t("sales.contract.renewBody")}
          path={`contracts/${record.id}/renew`}
          initialStart={nextStart ? `${nextStart.getFullYear()}-${pad(nextStart.getMonth() + 1)}-${pad(nextStart.getDate())}` : undefined}
          successKey="sales.contract.renewed"
          onClose={() => setOpen(false)}
        />
      ) : null}
    </li>
  );
}
