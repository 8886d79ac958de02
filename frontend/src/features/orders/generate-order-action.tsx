import { useTranslation } from "react-i18next";
import { HeaderAction } from "../../components/header-action";
import { ConfirmModal } from "../../components/modal";
import { useCurrency } from "../../lib/session";
import { useStage } from "../../records/api/stage-queries";
import { formatCurrency } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { useGenerateOrder } from "./api/order-actions";

/** "Generate Order" on a won opportunity: confirmation, then the new order's page. */
export function GenerateOrderAction({ record, canWrite }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const won = Boolean(useStage("opportunity", record.stage)?.is_won);
  const action = useGenerateOrder(record.id);
  const orders = (record.orders as unknown[] | undefined) ?? [];
  if (!canWrite || !won || orders.length > 0) return null;
  const lines = (record.line_items as unknown[] | undefined) ?? [];
  return (
    <HeaderAction
      label={t("sales.generate.order")}
      dialog={(close) => (
        <ConfirmModal
          title={t("sales.generate.order")}
          body={t("sales.generate.orderBody", { count: lines.length, amount: formatCurrency(record.amount ?? 0, i18n.language, currency) })}
          confirmLabel={t("sales.generate.generate")}
          busy={action.isPending}
          onCancel={close}
          onConfirm={() => action.run().catch(close)}
        />
      )}
    />
  );
}
