import { useTranslation } from "react-i18next";
import { HeaderAction } from "../../components/header-action";
import { ConfirmModal } from "../../components/modal";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { useCancelOrder } from "./api/order-actions";
import { ORDER_CLOSED_STATUSES } from "./api/order-status";

/** "Cancel Order" with a confirmation; hidden on fulfilled and cancelled orders. */
export function CancelOrderAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const action = useCancelOrder(record.id, record.version);
  if (!canWrite || ORDER_CLOSED_STATUSES.has(String(record.status))) return null;
  const number = String(record.order_number ?? "");
  return (
    <HeaderAction
      label={t("sales.order.cancel")}
      variant="text-destructive"
      dialog={(close) => (
        <ConfirmModal
          title={t("sales.order.cancel")}
          body={t("sales.order.cancelBody", { number })}
          confirmLabel={t("sales.order.cancel")}
          destructive
          busy={action.isPending}
          onCancel={close}
          onConfirm={() =>
            action
              .run()
              .catch(() => undefined)
              .finally(close)
          }
        />
      )}
    />
  );
}
