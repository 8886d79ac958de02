import { useTranslation } from "react-i18next";
import { Icon } from "./icon";

export type PathStep = { value: string; label: string };

export type PathProps = {
  steps: PathStep[];
  current: string | null;
  /** Terminal steps that are not "won" (e.g. Cancelled): shown without marking earlier steps complete. */
  onSelect?: (value: string) => void;
  disabled?: boolean;
};

/** SLDS Path: earlier steps complete, the current one highlighted, later ones incomplete; click to move. */
export function Path({ steps, current, onSelect, disabled }: PathProps) {
  const { t } = useTranslation();
  const currentIndex = steps.findIndex((step) => step.value === current);
  return (
    <div className="slds-path">
      <div className="slds-grid slds-path__track">
        <div className="slds-grid slds-path__scroller-container">
          <div className="slds-path__scroller">
            <div className="slds-path__scroller_inner">
              <ul className="slds-path__nav" role="listbox" aria-orientation="horizontal">
                {steps.map((step, index) => {
                  const state =
                    index === currentIndex ? "slds-is-current slds-is-active" : index < currentIndex ? "slds-is-complete" : "slds-is-incomplete";
                  return (
                    <li key={step.value} className={`slds-path__item ${state}`} role="presentation">
                      <button
                        type="button"
                        role="option"
                        aria-selected={index === currentIndex}
                        className="slds-path__link"
                        disabled={disabled}
                        onClick={() => (index !== currentIndex && onSelect ? onSelect(step.value) : undefined)}
                        title={step.label}
                      >
                        <span className="slds-path__stage">
                          <Icon category="utility" name="check" size="xx-small" className="slds-icon" />
                          <span className="slds-assistive-text">
                            {index < currentIndex ? t("record.pathCompleted") : t("record.pathStage", { value: step.label })}
                          </span>
                        </span>
                        <span className="slds-path__title">{step.label}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
