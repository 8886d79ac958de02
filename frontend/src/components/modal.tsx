import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Icon } from "./icon";

export type ModalProps = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: "small" | "medium" | "large";
  tagline?: ReactNode;
};

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** SLDS modal with backdrop, Escape to close, and focus moved into and kept inside the dialog. */
export function Modal({ title, onClose, children, footer, size = "medium", tagline }: ModalProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>(
      ".slds-modal__content input:not([disabled]), .slds-modal__content textarea, .slds-modal__content select, .slds-modal__footer button",
    );
    first?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        onClose();
        return;
      }
      if (event.key !== "Tab" || !ref.current) return;
      // Tab and Shift+Tab cycle through the dialog's own controls only.
      const focusable = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE));
      if (focusable.length === 0) return;
      const firstControl = focusable[0];
      const lastControl = focusable[focusable.length - 1];
      const active = document.activeElement;
      if (event.shiftKey && (active === firstControl || !ref.current.contains(active))) {
        event.preventDefault();
        lastControl.focus();
      } else if (!event.shiftKey && (active === lastControl || !ref.current.contains(active))) {
        event.preventDefault();
        firstControl.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      previous?.focus?.();
    };
  }, [onClose]);

  return (
    <>
      <section
        ref={ref}
        role="dialog"
        tabIndex={-1}
        aria-modal="true"
        aria-labelledby={headingId}
        className={`slds-modal slds-fade-in-open slds-modal_${size}`}
      >
        <div className="slds-modal__container">
          <button type="button" className="slds-button slds-button_icon slds-modal__close" title={t("common.close")} onClick={onClose}>
            <Icon category="utility" name="close" className="slds-button__icon slds-button__icon_large" />
            <span className="slds-assistive-text">{t("common.close")}</span>
          </button>
          <div className="slds-modal__header">
            <h1 id={headingId} className="slds-modal__title slds-hyphenate">
              {title}
            </h1>
            {tagline ? <p className="slds-m-top_x-small">{tagline}</p> : null}
          </div>
          <div className="slds-modal__content slds-p-around_medium">{children}</div>
          {footer ? <div className="slds-modal__footer">{footer}</div> : null}
        </div>
      </section>
      <div className="slds-backdrop slds-backdrop_open" role="presentation" />
    </>
  );
}

export type ConfirmModalProps = {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  destructive?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

export function ConfirmModal({ title, body, confirmLabel, busy, destructive, onConfirm, onCancel }: ConfirmModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      title={title}
      onClose={onCancel}
      size="small"
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onCancel}>
            {t("common.cancel")}
          </button>
          <button type="button" className={`slds-button ${destructive ? "slds-button_destructive" : "slds-button_brand"}`} disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <p className="slds-text-align_center">{body}</p>
    </Modal>
  );
}
