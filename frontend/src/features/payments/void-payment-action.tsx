import { useTranslation } from "react-i18next";
import { HeaderAction } from "../../components/header-action";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { PAYMENT_VOID } from "./api/payment-queries";
import { VoidPaymentModal } from "./void-payment-modal";

/** "Void" on a payment's own record page. */
export function VoidPaymentAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || record.status === PAYMENT_VOID) return null;
  return (
    <HeaderAction
      label={t("sales.billing.void")}
      variant="text-destructive"
      dialog={(close) => (
        <VoidPaymentModal
          payment={{ id: record.id, version: record.version, amount: String(record.amount ?? ""), payment_date: String(record.payment_date ?? "") }}
          onClose={close}
        />
      )}
    />
  );
}
