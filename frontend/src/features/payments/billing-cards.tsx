import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ButtonIcon, ObjectIcon } from "../../components/icon";
import { ConfirmModal } from "../../components/modal";
import { useToast } from "../../components/toast";
import { ApiError, api } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { formatCurrency, formatDate, formatNumber } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { LogPaymentModal } from "./log-payment-modal";
import "./payments.css";

type PaymentRow = {
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

type LineRow = { id: number; product_name: string; quantity: string; price_at_purchase?: string; price_per_cycle?: string; line_total?: string };

function useMoney() {
  const { i18n } = useTranslation();
  const currency = useCurrency();
  return (value: unknown) => formatCurrency(value ?? 0, i18n.language, currency);
}

/** Read-only line items of an order or contract. */
export function BillingLinesCard({ meta, record }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const lines = (record.line_items as LineRow[] | undefined) ?? [];
  const isContract = meta.name === "contract";
  const title = `${t("sales.billing.lineItems")} (${lines.length})`;
  return (
    <article className="slds-card crm-related-list" aria-label={title}>
      <div className="slds-card__header slds-grid">
        <header className="slds-media slds-media_center slds-has-flexi-truncate">
          <div className="slds-media__figure">
            <ObjectIcon icon="product" size="small" />
          </div>
          <div className="slds-media__body">
            <h2 className="slds-card__header-title">
              <span className="slds-truncate">{title}</span>
            </h2>
          </div>
        </header>
      </div>
      <div className="slds-card__body">
        <div className="crm-table-scroll">
          <table className="slds-table slds-table_bordered slds-table_cell-buffer crm-billing-table" aria-label={title}>
            <thead>
              <tr className="slds-line-height_reset">
                <th scope="col">{t("sales.billing.product")}</th>
                <th scope="col" className="slds-text-align_right">
                  {t("sales.billing.quantity")}
                </th>
                <th scope="col" className="slds-text-align_right">
                  {isContract ? t("sales.billing.pricePerCycle") : t("sales.billing.unitPrice")}
                </th>
                {isContract ? null : (
                  <th scope="col" className="slds-text-align_right">
                    {t("sales.billing.lineTotal")}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.id}>
                  <th scope="row">
                    <div className="slds-truncate" title={line.product_name}>
                      {line.product_name}
                    </div>
                  </th>
                  <td className="slds-text-align_right">{formatNumber(line.quantity, i18n.language)}</td>
                  <td className="slds-text-align_right">{money(isContract ? line.price_per_cycle : line.price_at_purchase)}</td>
                  {isContract ? null : <td className="slds-text-align_right">{money(line.line_total)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </article>
  );
}

/** Payments of an order or contract with totals, Log Payment and Void (void rows struck through). */
export function PaymentsCard({ meta, record, canWrite }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const { t: tm } = useTranslation("meta");
  const money = useMoney();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [logging, setLogging] = useState(false);
  const [voiding, setVoiding] = useState<PaymentRow | null>(null);
  const payments = (record.payments as PaymentRow[] | undefined) ?? [];
  const isContract = meta.name === "contract";
  const open = isContract ? record.status === "Active" : !["Cancelled", "Fulfilled"].includes(String(record.status));
  const title = `${t("sales.billing.payments")} (${payments.length})`;
  const option = (value: string) => tm(`options.${value}`, { defaultValue: value, nsSeparator: false });

  const voidPayment = useMutation({
    mutationFn: (payment: PaymentRow) => api.patch<PaymentRow>(`payments/${payment.id}`, { status: "Void", version: payment.version }),
    onSuccess: (payment) => {
      void queryClient.invalidateQueries({ queryKey: [meta.name] });
      void queryClient.invalidateQueries({ queryKey: ["payment"] });
      toast.show({ variant: "success", message: t("sales.billing.voided", { amount: money(payment.amount) }) });
    },
    onError: (error) => {
      toast.show({
        variant: "error",
        message: error instanceof ApiError && error.isConflict ? t("errors.conflict") : error instanceof ApiError ? error.message : t("errors.generic"),
      });
      void queryClient.invalidateQueries({ queryKey: [meta.name] });
    },
  });

  const totals = isContract
    ? [
        { label: t("sales.billing.perCycle"), value: record.amount_per_cycle },
        { label: t("sales.billing.paid"), value: record.amount_paid },
      ]
    : [
        { label: t("sales.billing.total"), value: record.total },
        { label: t("sales.billing.paid"), value: record.amount_paid },
        { label: t("sales.billing.balance"), value: record.balance_due, strong: true },
      ];

  return (
    <article className="slds-card crm-related-list" aria-label={title}>
      <div className="slds-card__header slds-grid">
        <header className="slds-media slds-media_center slds-has-flexi-truncate">
          <div className="slds-media__figure">
            <ObjectIcon icon="currency" size="small" />
          </div>
          <div className="slds-media__body">
            <h2 className="slds-card__header-title">
              <span className="slds-truncate">{title}</span>
            </h2>
          </div>
          {canWrite && open ? (
            <div className="slds-no-flex">
              <button type="button" className="slds-button slds-button_neutral" onClick={() => setLogging(true)}>
                {t("sales.billing.logPayment")}
              </button>
            </div>
          ) : null}
        </header>
      </div>
      <div className="slds-card__body">
        <dl className="crm-billing-totals" aria-label={t("sales.billing.total")}>
          {totals.map((item) => (
            <div key={item.label} className={item.strong ? "crm-billing-totals__strong" : undefined}>
              <dt className="slds-text-title">{item.label}</dt>
              <dd>{money(item.value)}</dd>
            </div>
          ))}
        </dl>
        {payments.length === 0 ? (
          <p className="slds-p-horizontal_medium slds-p-bottom_small slds-text-color_weak">{t("sales.billing.empty")}</p>
        ) : (
          <div className="crm-table-scroll">
            <table className="slds-table slds-table_bordered slds-table_cell-buffer crm-billing-table" aria-label={title}>
              <thead>
                <tr className="slds-line-height_reset">
                  <th scope="col">{t("sales.billing.date")}</th>
                  <th scope="col" className="slds-text-align_right">
                    {t("sales.billing.amount")}
                  </th>
                  <th scope="col">{t("sales.billing.method")}</th>
                  <th scope="col">{t("sales.billing.status")}</th>
                  {isContract ? <th scope="col">{t("sales.billing.period")}</th> : null}
                  {canWrite ? (
                    <th scope="col" className="crm-col-void">
                      <span className="slds-assistive-text">{t("common.actions")}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {payments.map((payment) => {
                  const isVoid = payment.status === "Void";
                  const date = formatDate(payment.payment_date, i18n.language);
                  return (
                    <tr key={payment.id} className={isVoid ? "crm-payment-void" : undefined} aria-label={isVoid ? t("sales.billing.voidRow") : undefined}>
                      <th scope="row">
                        <Link to={`/o/payment/${payment.id}`}>{isVoid ? <s>{date}</s> : date}</Link>
                      </th>
                      <td className="slds-text-align_right">{isVoid ? <s>{money(payment.amount)}</s> : money(payment.amount)}</td>
                      <td>{isVoid ? <s>{option(payment.payment_method)}</s> : option(payment.payment_method)}</td>
                      <td>
                        <span
                          className={`slds-badge ${isVoid ? "" : payment.status === "Completed" ? "slds-theme_success" : payment.status === "Failed" ? "slds-theme_error" : "slds-theme_warning"}`}
                        >
                          {option(payment.status)}
                        </span>
                      </td>
                      {isContract ? (
                        <td>
                          {payment.service_period_start
                            ? `${formatDate(payment.service_period_start, i18n.language)} – ${formatDate(payment.service_period_end, i18n.language)}`
                            : ""}
                        </td>
                      ) : null}
                      {canWrite ? (
                        <td className="crm-col-void">
                          {isVoid ? null : (
                            <ButtonIcon
                              icon="ban"
                              size="small"
                              label={t("sales.billing.voidLabel", { amount: money(payment.amount), date })}
                              onClick={() => setVoiding(payment)}
                            />
                          )}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {logging ? (
        <LogPaymentModal
          parentPath={isContract ? "contracts" : "orders"}
          parentId={record.id}
          defaultAmount={isContract ? String(record.amount_per_cycle ?? "") : String(record.balance_due ?? "")}
          retainer={isContract}
          onClose={() => setLogging(false)}
        />
      ) : null}
      {voiding ? (
        <ConfirmModal
          title={t("sales.billing.voidTitle")}
          body={t("sales.billing.voidBody", { amount: money(voiding.amount), date: formatDate(voiding.payment_date, i18n.language) })}
          confirmLabel={t("sales.billing.void")}
          destructive
          busy={voidPayment.isPending}
          onCancel={() => setVoiding(null)}
          onConfirm={() =>
            voidPayment
              .mutateAsync(voiding)
              .catch(() => undefined)
              .finally(() => setVoiding(null))
          }
        />
      ) : null}
    </article>
  );
}

/** "Void" on a payment's own record page. */
export function VoidPaymentAction({ record, canWrite }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const voidPayment = useMutation({
    mutationFn: () => api.patch<PaymentRow>(`payments/${record.id}`, { status: "Void", version: record.version }),
    onSuccess: (payment) => {
      for (const key of ["payment", "order", "contract"]) void queryClient.invalidateQueries({ queryKey: [key] });
      toast.show({ variant: "success", message: t("sales.billing.voided", { amount: money(payment.amount) }) });
    },
    onError: (error) => toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") }),
  });
  if (!canWrite || record.status === "Void") return null;
  return (
    <li>
      <button type="button" className="slds-button slds-button_text-destructive" onClick={() => setOpen(true)}>
        {t("sales.billing.void")}
      </button>
      {open ? (
        <ConfirmModal
          title={t("sales.billing.voidTitle")}
          body={t("sales.billing.voidBody", { amount: money(record.amount), date: formatDate(record.payment_date, i18n.language) })}
          confirmLabel={t("sales.billing.void")}
          destructive
          busy={voidPayment.isPending}
          onCancel={() => setOpen(false)}
          onConfirm={() =>
            voidPayment
              .mutateAsync()
              .catch(() => undefined)
              .finally(() => setOpen(false))
          }
        />
      ) : null}
    </li>
  );
}
