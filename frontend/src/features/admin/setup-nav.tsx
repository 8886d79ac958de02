import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

/** The pages of Setup, as tabs under each setup page's header. */
export function SetupNav() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const pages = [
    { to: "/setup/users", label: t("work.admin.users") },
    { to: "/setup/stages", label: t("work.admin.stages") },
    { to: "/setup/organization", label: t("work.admin.organization") },
    { to: "/setup/sharing", label: t("sharing.settings.tab") },
    { to: "/setup/jobs", label: t("jobs.title") },
    { to: "/setup/templates", label: t("sales.studio.tab") },
    { to: "/setup/reminders", label: t("collections.levels.tab") },
    { to: "/setup/bank", label: t("collections.bank.tab") },
  ];
  return (
    <nav className="slds-tabs_default slds-m-bottom_small" aria-label={t("work.admin.setup")}>
      <ul className="slds-tabs_default__nav">
        {pages.map((page) => {
          const current = pathname === page.to;
          return (
            <li key={page.to} className={`slds-tabs_default__item${current ? " slds-is-active" : ""}`}>
              <Link to={page.to} className="slds-tabs_default__link" aria-current={current ? "page" : undefined}>
                {page.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
