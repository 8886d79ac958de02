import { useTranslation } from "react-i18next";
import { ConfirmModal } from "../../components/modal";
import { formatDate } from "../../records/fields/format";
import { useVoidPayment, type PaymentRow } from "./api/payment-queries";
import { useMoney } from "./use-money";

export type VoidPaymentModalProps = {
  payment: Pick<PaymentRow, "id" | "version" | "amount" | "payment_date">;
  onClose: () => void;
};

/** "Void the payment of € … from …?": voids it with the version read, then closes either way. */
export function VoidPaymentModal({ payment, onClose }: VoidPaymentModalProps) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const voidPayment = useVoidPayment((voided) => money(voided.amount));
  return (
    <ConfirmModal
      title={t("sales.billing.voidTitle")}
      body={t("sales.billing.voidBody", { amount: money(payment.amount), date: formatDate(payment.payment_date, i18n.language) })}
      confirmLabel={t("sales.billing.void")}
      destructive
      busy={voidPayment.isPending}
      onCancel={onClose}
      onConfirm={() =>
        voidPayment
          .mutateAsync(payment)
          .catch(() => undefined)
          .finally(onClose)
      }
    />
  );
}
