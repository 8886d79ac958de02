import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useToast } from "../../../components/toast";
import { ApiError, api } from "../../../lib/api-client";
import { recordKeys } from "../../../records/api/record-queries";
import { picklistOptions } from "../../../records/metadata/use-object-meta";
import type { MetaIndex, ObjectMeta, RecordData } from "../../../records/metadata/types";

export const PAYMENT_OBJECT = "payment";
/** The status of a voided payment: it no longer counts, and it cannot be logged as such. */
export const PAYMENT_VOID = "Void";
/** Statuses shown with a success or error badge (the others are pending). */
export const PAYMENT_COMPLETED = "Completed";
export const PAYMENT_FAILED = "Failed";
/** The method a new payment starts with when the metadata offers it. */
export const DEFAULT_PAYMENT_METHOD = "Bank Transfer";

export type PaymentRow = {
  id: number;
  amount: string;
  payment_date: string;
  payment_method: string;
  status: string;
  transaction_id: string;
  notes: string;
  service_period_start: string | null;
  service_period_end: string | null;
  version: number;
};

/** Payment methods in the metadata's order. */
export function paymentMethods(metaIndex: MetaIndex | undefined): string[] {
  return picklistOptions(metaIndex, PAYMENT_OBJECT, "payment_method");
}

/** The statuses a new payment may have: all but Void (voiding is its own action). */
export function loggableStatuses(metaIndex: MetaIndex | undefined): string[] {
  return picklistOptions(metaIndex, PAYMENT_OBJECT, "status").filter((status) => status !== PAYMENT_VOID);
}

/** An order takes payments until it is fulfilled or cancelled; a contract while it is active. */
export function acceptsPayments(meta: ObjectMeta, record: RecordData): boolean {
  if (meta.name === "contract") return record.status === "Active";
  return !["Cancelled", "Fulfilled"].includes(String(record.status));
}

/** Where payments of an order or a contract are logged: "orders" or "contracts", and the id. */
export type PaymentParent = { path: "orders" | "contracts"; id: number };

/** Orders and contracts embed their payments: refresh them and every payment list. */
function invalidatePayments(queryClient: ReturnType<typeof useQueryClient>, parents: string[]) {
  for (const object of [PAYMENT_OBJECT, ...parents]) void queryClient.invalidateQueries({ queryKey: recordKeys.all(object) });
}

/** POST a payment to an order or contract; the caller shows field errors, the hook the success toast. */
export function useLogPayment(parent: PaymentParent, onLogged: (payment: { amount: string }) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<{ amount: string }>(`${parent.path}/${parent.id}/payments`, body),
    onSuccess: (payment) => {
      invalidatePayments(queryClient, [parent.path === "orders" ? "order" : "contract"]);
      onLogged(payment);
    },
  });
}

/** Void a payment (with the version read); toasts the outcome and refreshes orders, contracts and payments. */
export function useVoidPayment(describe: (payment: PaymentRow) => string) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: (payment: Pick<PaymentRow, "id" | "version">) =>
      api.patch<PaymentRow>(`payments/${payment.id}`, { status: PAYMENT_VOID, version: payment.version }),
    onSuccess: (payment) => {
      invalidatePayments(queryClient, ["order", "contract"]);
      toast.show({ variant: "success", message: t("sales.billing.voided", { amount: describe(payment) }) });
    },
    onError: (error) => {
      const message = error instanceof ApiError && error.isConflict ? t("errors.conflict") : error instanceof ApiError ? error.message : t("errors.generic");
      toast.show({ variant: "error", message });
      invalidatePayments(queryClient, ["order", "contract"]);
    },
  });
}
