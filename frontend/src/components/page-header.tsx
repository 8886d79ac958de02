import type { ReactNode } from "react";
import { ObjectIcon, type IconProps } from "./icon";

export type PageHeaderProps = {
  /** Standard icon shown next to the title. */
  icon: string;
  iconSize?: IconProps["size"];
  /** Screen-reader text for the icon; decorative when omitted. */
  iconTitle?: string;
  /** Small line above the title (the object or section name). */
  meta?: ReactNode;
  title: ReactNode;
  /** Tooltip for a title that may be cut off. */
  titleText?: string;
  variant?: "object-home" | "record-home";
  /** Buttons or controls on the right of the title row. */
  actions?: ReactNode;
  /** One line of text under the title row. */
  metaText?: ReactNode;
  /** Further header rows (toolbars, filters, highlight fields). */
  children?: ReactNode;
};

/** SLDS page header: icon, title with its meta line, actions, an optional meta text row and further rows. */
export function PageHeader({ icon, iconSize = "small", iconTitle, meta, title, titleText, variant, actions, metaText, children }: PageHeaderProps) {
  return (
    <div className={`slds-page-header${variant ? ` slds-page-header_${variant}` : ""} crm-card-shadow`}>
      <div className="slds-page-header__row">
        <div className="slds-page-header__col-title">
          <div className="slds-media">
            <div className="slds-media__figure">
              <ObjectIcon icon={icon} size={iconSize} title={iconTitle} />
            </div>
            <div className="slds-media__body">
              <div className="slds-page-header__name">
                <div className="slds-page-header__name-title">
                  {meta ? <span className="slds-page-header__name-meta">{meta}</span> : null}
                  <h1 className="slds-page-header__title slds-truncate" title={titleText}>
                    {title}
                  </h1>
                </div>
              </div>
            </div>
          </div>
        </div>
        {actions ? <div className="slds-page-header__col-actions">{actions}</div> : null}
      </div>
      {metaText ? (
        <div className="slds-page-header__row">
          <p className="slds-page-header__meta-text slds-text-body_small">{metaText}</p>
        </div>
      ) : null}
      {children}
    </div>
  );
}
