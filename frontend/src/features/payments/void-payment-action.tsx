import { useTranslation } from "react-i18next";
import { HeaderAction } from "../../components/header-action";
import { ConfirmModal } from "../../components/modal";
import { formatDate } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { PAYMENT_VOID, useVoidPayment } from "./api/payment-queries";
import { useMoney } from "./use-money";

/** "Void" on a payment's own record page. */
export function VoidPaymentAction({ record, canWrite }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const voidPayment = useVoidPayment((payment) => money(payment.amount));
  if (!canWrite || record.status === PAYMENT_VOID) return null;
  return (
    <HeaderAction
      label={t("sales.billing.void")}
      variant="text-destructive"
      dialog={(close) => (
        <ConfirmModal
          title={t("sales.billing.voidTitle")}
          body={t("sales.billing.voidBody", { amount: money(record.amount), date: formatDate(record.payment_date, i18n.language) })}
          confirmLabel={t("sales.billing.void")}
          destructive
          busy={voidPayment.isPending}
          onCancel={close}
          onConfirm={() =>
            voidPayment
              .mutateAsync({ id: record.id, version: record.version })
              .catch(() => undefined)
              .finally(close)
          }
        />
      )}
    />
  );
}
