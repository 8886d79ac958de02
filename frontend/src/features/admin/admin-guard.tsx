import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "../../lib/session";

export type AdminGuardProps = { children: ReactNode };

/** Renders admin pages for administrators only (the API refuses others anyway). */
export function AdminGuard({ children }: AdminGuardProps) {
  const { t } = useTranslation();
  const { data: user } = useSession();
  if (!user?.is_admin) {
    return (
      <div className="crm-page">
        <div className="slds-card slds-p-around_large slds-text-align_center" role="alert">
          {t("work.admin.adminsOnly")}
        </div>
      </div>
    );
  }
  return <>{children}</>;
}
