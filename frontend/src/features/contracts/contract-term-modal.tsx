import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormElement, ModalFooter, Select } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { useFieldErrors } from "../../lib/use-field-errors";
import { isoDate } from "../../records/fields/format";
import { usePicklist } from "../../records/metadata/use-object-meta";
import { useCreateContractTerm } from "./api/contract-actions";

export type ContractTermModalProps = {
  title: string;
  body: string;
  path: string;
  onClose: () => void;
  initialStart?: string;
  successKey?: Parameters<typeof useCreateContractTerm>[1];
};

/** Start, end (a year by default) and billing cycle of a new contract term, then the contract's page. */
export function ContractTermModal({ title, body, path, onClose, initialStart, successKey = "sales.generate.contractCreated" }: ContractTermModalProps) {
  const { t } = useTranslation();
  const formId = useId();
  const cycles = usePicklist("contract", "billing_cycle");
  const today = new Date();
  const start = initialStart ? new Date(`${initialStart}T00:00:00`) : today;
  const end = new Date(start.getFullYear() + 1, start.getMonth(), start.getDate() - 1);
  const [values, setValues] = useState({ start_date: isoDate(start), end_date: isoDate(end), billing_cycle: "" });
  // The first cycle the metadata lists until the user picks one.
  const cycle = values.billing_cycle || (cycles[0]?.value ?? "");
  const { errors, validate, showError } = useFieldErrors();
  const action = useCreateContractTerm(path, successKey);
  const submit = async () => {
    const ok = validate({
      start_date: values.start_date ? undefined : t("form.requiredError"),
      end_date: !values.end_date
        ? t("form.requiredError")
        : values.start_date && values.end_date < values.start_date
          ? t("sales.billing.periodOrder")
          : undefined,
    });
    if (!ok) return;
    try {
      await action.run({ ...values, billing_cycle: cycle });
      onClose();
    } catch (error) {
      showError(error);
    }
  };
  const dateField = (name: "start_date" | "end_date", label: string) => (
    <FormElement id={`${formId}-${name}`} label={label} required errors={errors[name]} className="slds-m-bottom_small">
      {({ aria }) => (
        <input
          {...aria}
          type="date"
          className="slds-input"
          value={values[name]}
          required
          onChange={(event) => setValues({ ...values, [name]: event.target.value })}
        />
      )}
    </FormElement>
  );
  return (
    <Modal
      title={title}
      onClose={onClose}
      size="small"
      footer={
        <ModalFooter
          onCancel={onClose}
          onConfirm={() => void submit()}
          busy={action.isPending}
          label={t("sales.generate.generate")}
          busyLabel={t("sales.generate.generate")}
        />
      }
    >
      <p className="slds-m-bottom_medium">{body}</p>
      {dateField("start_date", t("sales.generate.startDate"))}
      {dateField("end_date", t("sales.generate.endDate"))}
      <FormElement id={`${formId}-cycle`} label={t("sales.generate.billingCycle")} errors={errors.billing_cycle} className="slds-m-bottom_small">
        {({ aria }) => <Select {...aria} value={cycle} options={cycles} onChange={(value) => setValues({ ...values, billing_cycle: value })} />}
      </FormElement>
    </Modal>
  );
}
