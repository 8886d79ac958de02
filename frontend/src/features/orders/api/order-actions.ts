import { useTranslation } from "react-i18next";
import { useRecordAction } from "../../../records/api/use-record-action";

/** Generate the order of a won opportunity, then open it. */
export function useGenerateOrder(opportunityId: number) {
  const { t } = useTranslation();
  const action = useRecordAction({
    target: (order) => `/o/order/${order.id}`,
    success: (order) => t("sales.generate.orderCreated", { number: String(order.order_number ?? "") }),
    invalidate: ["order", "opportunity"],
  });
  return { isPending: action.isPending, run: () => action.mutateAsync({ path: `opportunities/${opportunityId}/generate-order` }) };
}

/** Cancel an order (with the version read); its payments refresh too. */
export function useCancelOrder(orderId: number, version: number) {
  const { t } = useTranslation();
  const action = useRecordAction({
    success: (order) => t("sales.order.cancelled", { number: String(order.order_number ?? "") }),
    invalidate: ["order", "payment"],
  });
  return { isPending: action.isPending, run: () => action.mutateAsync({ path: `orders/${orderId}/cancel`, body: { version } }) };
}
