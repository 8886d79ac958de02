import { useTranslation } from "react-i18next";
import type { ObjectMeta, RecordData } from "../../records/metadata/types";
import { useMoney } from "./use-money";

export type BalanceSummaryProps = { meta: ObjectMeta; record: RecordData };

/** The money line above the payments: an order's total, paid and balance due; a contract's amount per cycle and paid. */
export function BalanceSummary({ meta, record }: BalanceSummaryProps) {
  const { t } = useTranslation();
  const money = useMoney();
  const totals =
    meta.name === "contract"
      ? [
          { label: t("sales.billing.perCycle"), value: record.amount_per_cycle },
          { label: t("sales.billing.paid"), value: record.amount_paid },
        ]
      : [
          { label: t("sales.billing.total"), value: record.total },
          { label: t("sales.billing.paid"), value: record.amount_paid },
          // A negative balance is money paid beyond the total, kept as the client's credit.
          Number(record.balance_due) < 0
            ? { label: t("sales.billing.credit"), value: String(-Number(record.balance_due)), strong: true }
            : { label: t("sales.billing.balance"), value: record.balance_due, strong: true },
        ];
  return (
    <dl className="crm-billing-totals" aria-label={t("sales.billing.total")}>
      {totals.map((item) => (
        <div key={item.label} className={item.strong ? "crm-billing-totals__strong" : undefined}>
          <dt className="slds-text-title">{item.label}</dt>
          <dd>{money(item.value)}</dd>
        </div>
      ))}
    </dl>
  );
}
