import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Icon } from "./icon";

export type ToastVariant = "success" | "error" | "warning" | "info";

export type ToastInput = {
  variant: ToastVariant;
  message: string;
  /** Optional link rendered after the message, e.g. to the record just created. */
  link?: { to: string; label: string };
  durationMs?: number;
};

type ToastItem = ToastInput & { id: number };

type ToastApi = { show: (toast: ToastInput) => void; dismiss: (id: number) => void };

const ToastContext = createContext<ToastApi | null>(null);

const ICONS: Record<ToastVariant, string> = { success: "success", error: "error", warning: "warning", info: "info" };

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)), []);
  const show = useCallback(
    (toast: ToastInput) => {
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-3), { ...toast, id }]);
      const duration = toast.durationMs ?? (toast.variant === "error" ? 10_000 : 6_000);
      window.setTimeout(() => dismiss(id), duration);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show, dismiss }), [show, dismiss]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <ToastRegion toasts={toasts} onDismiss={dismiss} />
    </ToastContext.Provider>
  );
}

export type ToastRegionProps = { toasts: ToastItem[]; onDismiss: (id: number) => void };

export function ToastRegion({ toasts, onDismiss }: ToastRegionProps) {
  const { t } = useTranslation();
  return (
    <div className="slds-notify_container crm-toast-region" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`slds-notify slds-notify_toast slds-theme_${toast.variant}`} role={toast.variant === "error" ? "alert" : "status"}>
          <span className="slds-assistive-text">{t(`toast.${toast.variant}`)}</span>
          <span className={`slds-icon_container slds-icon-utility-${ICONS[toast.variant]} slds-m-right_small`}>
            <Icon category="utility" name={ICONS[toast.variant]} size="small" className="slds-icon" />
          </span>
          <div className="slds-notify__content">
            <h2 className="slds-text-heading_small">
              {toast.message}
              {toast.link ? (
                <>
                  {" "}
                  <Link to={toast.link.to} onClick={() => onDismiss(toast.id)}>
                    {toast.link.label}
                  </Link>
                </>
              ) : null}
            </h2>
          </div>
          <div className="slds-notify__close">
            <button
              type="button"
              className="slds-button slds-button_icon slds-button_icon-inverse"
              title={t("toast.close")}
              onClick={() => onDismiss(toast.id)}
            >
              <Icon category="utility" name="close" className="slds-button__icon slds-button__icon_large" />
              <span className="slds-assistive-text">{t("toast.close")}</span>
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast needs a ToastProvider");
  return api;
}
