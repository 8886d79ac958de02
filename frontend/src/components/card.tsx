import type { ReactNode } from "react";
import { ObjectIcon } from "./icon";

export type CardProps = {
  title: ReactNode;
  /** Accessible name of the card; the title when it is plain text. */
  label?: string;
  /** Standard icon before the title. */
  icon?: string;
  /** Buttons on the right of the header. */
  actions?: ReactNode;
  /** Content between the header and the body (e.g. a button group). */
  toolbar?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  className?: string;
  /** Extra classes on the heading (e.g. an error colour). */
  headingClassName?: string;
  /** Pads the body like text content (slds-card__body_inner). */
  inner?: boolean;
  /** A section is a landmark region; an article (the default) is a self-contained card. */
  as?: "article" | "section";
};

/** SLDS card: header with icon, title and actions, then body and optional footer. */
export function Card({ title, label, icon, actions, toolbar, children, footer, className, headingClassName, inner, as: Tag = "article" }: CardProps) {
  return (
    <Tag className={`slds-card${className ? ` ${className}` : ""}`} aria-label={(label ?? (typeof title === "string" ? title : undefined)) || undefined}>
      <div className="slds-card__header slds-grid">
        <header className="slds-media slds-media_center slds-has-flexi-truncate">
          {icon ? (
            <div className="slds-media__figure">
              <ObjectIcon icon={icon} size="small" />
            </div>
          ) : null}
          <div className="slds-media__body">
            <h2 className={`slds-card__header-title${headingClassName ? ` ${headingClassName}` : ""}`}>
              <span className="slds-truncate">{title}</span>
            </h2>
          </div>
          {actions ? <div className="slds-no-flex">{actions}</div> : null}
        </header>
      </div>
      {toolbar}
      <div className={`slds-card__body${inner ? " slds-card__body_inner" : ""}`}>{children}</div>
      {footer ? <footer className="slds-card__footer">{footer}</footer> : null}
    </Tag>
  );
}

export type CardEmptyProps = { children: ReactNode };

/** The muted line a card shows when it has nothing to list. */
export function CardEmpty({ children }: CardEmptyProps) {
  return <p className="slds-p-horizontal_medium slds-p-bottom_small slds-text-color_weak">{children}</p>;
}
