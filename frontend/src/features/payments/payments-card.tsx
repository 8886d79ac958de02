import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Table } from "../../components/table";
import { Card, CardEmpty } from "../../components/card";
import { ButtonIcon } from "../../components/icon";
import { formatDate } from "../../records/fields/format";
import { useMetaLabels } from "../../records/metadata/use-object-meta";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { acceptsPayments, PAYMENT_COMPLETED, PAYMENT_FAILED, PAYMENT_VOID, type PaymentRow } from "./api/payment-queries";
import { BalanceSummary } from "./balance-summary";
import { LogPaymentModal } from "./log-payment-modal";
import { useMoney } from "./use-money";
import { VoidPaymentModal } from "./void-payment-modal";
import "./payments.css";

/** Payments of an order or contract with totals, Log Payment and Void (void rows struck through). */
export function PaymentsCard({ meta, record, canWrite }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const money = useMoney();
  const [logging, setLogging] = useState(false);
  const [voiding, setVoiding] = useState<PaymentRow | null>(null);
  const payments = (record.payments as PaymentRow[] | undefined) ?? [];
  const isContract = meta.name === "contract";
  const open = acceptsPayments(meta, record);
  const title = `${t("sales.billing.payments")} (${payments.length})`;
  const option = labels.option;

  return (
    <>
      <Card
        className="crm-related-list"
        icon="currency"
        title={title}
        actions={
          canWrite && open ? (
            <button type="button" className="slds-button slds-button_neutral" onClick={() => setLogging(true)}>
              {t("sales.billing.logPayment")}
            </button>
          ) : null
        }
      >
        <BalanceSummary meta={meta} record={record} />
        {payments.length === 0 ? (
          <CardEmpty>{t("sales.billing.empty")}</CardEmpty>
        ) : (
          <Table
            scroll
            className="crm-billing-table"
            label={title}
            columns={[
              { key: "date", label: t("sales.billing.date") },
              { key: "amount", label: t("sales.billing.amount"), align: "right" },
              { key: "method", label: t("sales.billing.method") },
              { key: "status", label: t("sales.billing.status") },
              isContract && { key: "period", label: t("sales.billing.period") },
              canWrite && { key: "actions", label: t("common.actions"), labelHidden: true, className: "crm-col-void" },
            ]}
          >
            {payments.map((payment) => {
              const isVoid = payment.status === PAYMENT_VOID;
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
                      className={`slds-badge ${isVoid ? "" : payment.status === PAYMENT_COMPLETED ? "slds-theme_success" : payment.status === PAYMENT_FAILED ? "slds-theme_error" : "slds-theme_warning"}`}
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
          </Table>
        )}
      </Card>
      {logging ? (
        <LogPaymentModal
          parentPath={isContract ? "contracts" : "orders"}
          parentId={record.id}
          defaultAmount={isContract ? String(record.amount_per_cycle ?? "") : String(record.balance_due ?? "")}
          retainer={isContract}
          onClose={() => setLogging(false)}
        />
      ) : null}
      {voiding ? <VoidPaymentModal payment={voiding} onClose={() => setVoiding(null)} /> : null}
    </>
  );
}
