import { useTranslation } from "react-i18next";
import { Icon } from "./icon";
import "./path.css";

export type PathStep = { value: string; label: string };

export type PathProps = {
  steps: PathStep[];
  current: string | null;
  /** Terminal steps that are not "won" (e.g. Cancelled): shown without marking earlier steps complete. */
  onSelect?: (value: string) => void;
  disabled?: boolean;
  /** Steps the user may move to; the others are shown but cannot be clicked. */
  isSelectable?: (value: string) => boolean;
};

/** SLDS Path: earlier steps complete, the current one highlighted, later ones incomplete; click to move. */
export function Path({ steps, current, onSelect, disabled, isSelectable }: PathProps) {
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
                  const state = index === currentIndex ? "slds-is-current slds-is-active" : index < currentIndex ? "slds-is-complete" : "slds-is-incomplete";
                  const locked = index !== currentIndex && isSelectable ? !isSelectable(step.value) : false;
                  return (
                    <li key={step.value} className={`slds-path__item ${state}${locked ? " crm-path__item_locked" : ""}`} role="presentation">
                      <button
                        type="button"
                        role="option"
                        aria-selected={index === currentIndex}
                        className="slds-path__link"
                        disabled={disabled}
                        aria-disabled={locked || undefined}
                        onClick={() => (index !== currentIndex && !locked && onSelect ? onSelect(step.value) : undefined)}
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
