import { useTranslation } from "react-i18next";
import { Icon } from "../../components/icon";
import type { TagRef } from "./tag-queries";

export type TagPillProps = {
  tag: TagRef;
  /** Shows the pill's remove button. */
  onRemove?: () => void;
  disabled?: boolean;
};

/** A tag as an SLDS pill with its colour; the x takes it off the record. */
export function TagPill({ tag, onRemove, disabled }: TagPillProps) {
  const { t } = useTranslation();
  return (
    <span className="slds-pill crm-tag-pill" title={tag.name}>
      <span className="crm-tag-pill__swatch" style={{ backgroundColor: tag.colour }} aria-hidden="true" />
      <span className="slds-pill__label">{tag.name}</span>
      {onRemove ? (
        <button
          type="button"
          className="slds-button slds-button_icon slds-button_icon slds-pill__remove"
          title={t("tags.remove", { name: tag.name })}
          disabled={disabled}
          onClick={onRemove}
        >
          <Icon category="utility" name="close" className="slds-button__icon" />
          <span className="slds-assistive-text">{t("tags.remove", { name: tag.name })}</span>
        </button>
      ) : null}
    </span>
  );
}
