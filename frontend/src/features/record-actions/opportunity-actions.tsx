import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal, Modal } from "../../components/modal";
import { api } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { formatCurrency } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { DateField, isoDate } from "./date-field";
import { fieldErrorsOf, useRecordAction } from "./use-record-action";

type Stage = { name: string; is_won: boolean; is_closed: boolean };

function useIsWon(stage: unknown): boolean {
  const stages = useQuery({
    queryKey: ["opportunity-stages"],
    queryFn: ({ signal }) => api.get<Stage[]>("opportunity-stages", undefined, signal),
    staleTime: 5 * 60_000,
  });
  return Boolean(stages.data?.some((item) => item.name === stage && item.is_won));
}

/** "Generate Order" on a won opportunity: confirmation, then the new order's page. */
export function GenerateOrderAction({ record, canWrite }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const won = useIsWon(record.stage);
  const [open, setOpen] = useState(false);
  const action = useRecordAction({
    target: (order) => `/o/order/${order.id}`,
    success: (order) => t("sales.generate.orderCreated", { number: String(order.order_number ?? "") }),
    invalidate: ["order", "opportunity"],
  });
  const orders = (record.orders as unknown[] | undefined) ?? [];
  if (!canWrite || !won || orders.length > 0) return null;
  const lines = (record.line_items as unknown[] | undefined) ?? [];
  return (
    <li>
      <button type="button" className="slds-button slds-button_neutral" onClick={() => setOpen(true)}>
        {t("sales.generate.order")}
      </button>
      {open ? (
        <ConfirmModal
          title={t("sales.generate.order")}
          body={t("sales.generate.orderBody", { count: lines.length, amount: formatCurrency(record.amount ?? 0, i18n.language, currency) })}
          confirmLabel={t("sales.generate.generate")}
          busy={action.isPending}
          onCancel={() => setOpen(false)}
          onConfirm={() => action.mutateAsync({ path: `opportunities/${record.id}/generate-order` }).catch(() => setOpen(false))}
        />
      ) : null}
    </li>
  );
}

/** "Generate Contract" on a won opportunity: asks the term and billing cycle, then opens the contract. */
export function GenerateContractAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const won = useIsWon(record.stage);
  const [open, setOpen] = useState(false);
  if (!canWrite || !won) return null;
  return (
    <li>
      <button type="button" className="slds-button slds-button_neutral" onClick={() => setOpen(true)}>
        {t("sales.generate.contract")}
      </button>
      {open ? (
        <ContractTermModal
          title={t("sales.generate.contract")}
          body={t("sales.generate.contractBody")}
          path={`opportunities/${record.id}/generate-contract`}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </li>
  );
}

export type ContractTermModalProps = {
  title: string;
  body: string;
  path: string;
  onClose: () => void;
  initialStart?: string;
  successKey?: "sales.generate.contractCreated" | "sales.contract.renewed";
};

export function ContractTermModal({ title, body, path, onClose, initialStart, successKey = "sales.generate.contractCreated" }: ContractTermModalProps) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation("meta");
  const formId = useId();
  const today = new Date();
  const start = initialStart ? new Date(`${initialStart}T00:00:00`) : today;
  const end = new Date(start.getFullYear() + 1, start.getMonth(), start.getDate() - 1);
  const [values, setValues] = useState({ start_date: isoDate(start), end_date: isoDate(end), billing_cycle: "Monthly" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useRecordAction({
    target: (contract) => `/o/contract/${contract.id}`,
    success: (contract) => t(successKey, { number: String(contract.contract_number ?? "") }),
    invalidate: ["contract", "opportunity"],
  });
  const submit = async () => {
    const next: Record<string, string> = {};
    if (!values.start_date) next.start_date = t("form.requiredError");
    if (!values.end_date) next.end_date = t("form.requiredError");
    else if (values.start_date && values.end_date < values.start_date) next.end_date = t("sales.billing.periodOrder");
    setErrors(next);
    if (Object.keys(next).length) return;
    try {
      await action.mutateAsync({ path, body: values });
      onClose();
    } catch (error) {
      setErrors(fieldErrorsOf(error));
    }
  };
  return (
    <Modal
      title={title}
      onClose={onClose}
      size="small"
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="button" className="slds-button slds-button_brand" disabled={action.isPending} onClick={() => void submit()}>
            {t("sales.generate.generate")}
          </button>
        </>
      }
    >
      <p className="slds-m-bottom_medium">{body}</p>
      <DateField
        id={`${formId}-start`}
        label={t("sales.generate.startDate")}
        required
        value={values.start_date}
        error={errors.start_date}
        onChange={(value) => setValues({ ...values, start_date: value })}
      />
      <DateField
        id={`${formId}-end`}
        label={t("sales.generate.endDate")}
        required
        value={values.end_date}
        error={errors.end_date}
        onChange={(value) => setValues({ ...values, end_date: value })}
      />
      <DateField
        id={`${formId}-cycle`}
        type="select"
        label={t("sales.generate.billingCycle")}
        value={values.billing_cycle}
        error={errors.billing_cycle}
        options={["Monthly", "Annually"].map((value) => ({ value, label: tm(`options.${value}`, { defaultValue: value, nsSeparator: false }) }))}
        onChange={(value) => setValues({ ...values, billing_cycle: value })}
      />
    </Modal>
  );
}
