import { useTranslation } from "react-i18next";

export type SpinnerProps = { size?: "small" | "medium" | "large"; inline?: boolean };

export function Spinner({ size = "medium", inline }: SpinnerProps) {
  const { t } = useTranslation();
  const spinner = (
    <div role="status" className={`slds-spinner slds-spinner_${size} slds-spinner_brand`}>
      <span className="slds-assistive-text">{t("common.loading")}</span>
      <div className="slds-spinner__dot-a" />
      <div className="slds-spinner__dot-b" />
    </div>
  );
  if (inline) return <div className="slds-is-relative crm-inline-spinner">{spinner}</div>;
  return <div className="slds-spinner_container">{spinner}</div>;
}
