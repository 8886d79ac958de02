import standardSprite from "@salesforce-ux/design-system/assets/icons/standard-sprite/svg/symbols.svg?url";
import utilitySprite from "@salesforce-ux/design-system/assets/icons/utility-sprite/svg/symbols.svg?url";

const SPRITES = { standard: standardSprite, utility: utilitySprite } as const;

export type IconProps = {
  category: keyof typeof SPRITES;
  name: string;
  /** SLDS size modifier: x-small, small, large; omitted = default. */
  size?: "xx-small" | "x-small" | "small" | "large";
  className?: string;
  /** Text for screen readers; decorative when omitted. */
  title?: string;
};

/** An SLDS icon from the bundled sprite (standard icons get their background colour). */
export function Icon({ category, name, size, className, title }: IconProps) {
  const classes = [
    category === "standard" ? "slds-icon" : "",
    size ? `slds-icon_${size}` : "",
    category === "standard" ? `slds-icon-standard-${name.replace(/_/g, "-")}` : "",
    className ?? "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <svg className={classes} aria-hidden={title ? undefined : true} role={title ? "img" : undefined} aria-label={title}>
      <use href={`${SPRITES[category]}#${name}`} />
    </svg>
  );
}

export type ObjectIconProps = { icon: string; size?: IconProps["size"]; title?: string };

/** The rounded, coloured square icon Lightning shows next to object names. */
export function ObjectIcon({ icon, size = "small", title }: ObjectIconProps) {
  return (
    <span className={`slds-icon_container slds-icon-standard-${icon.replace(/_/g, "-")}`} title={title}>
      <Icon category="standard" name={icon} size={size} title={title} />
    </span>
  );
}

export type ButtonIconProps = {
  icon: string;
  label: string;
  onClick?: () => void;
  variant?: "bare" | "border" | "border-filled" | "container";
  inverse?: boolean;
  size?: "x-small" | "small";
  className?: string;
};

export function ButtonIcon({ icon, label, onClick, variant = "bare", inverse, size, className }: ButtonIconProps) {
  const variantClass = variant === "bare" ? "" : `slds-button_icon-${variant}`;
  return (
    <button
      type="button"
      className={[
        "slds-button slds-button_icon",
        variantClass,
        inverse ? "slds-button_icon-inverse" : "",
        size ? `slds-button_icon-${size}` : "",
        className ?? "",
      ]
        .filter(Boolean)
        .join(" ")}
      title={label}
      aria-label={label}
      onClick={onClick}
    >
      <Icon category="utility" name={icon} className="slds-button__icon" />
    </button>
  );
}
