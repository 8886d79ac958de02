import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { ApiError, api } from "../../lib/api-client";

/** The pages of Setup, as tabs under each setup page's header. */
export function SetupNav() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  // SaaS mode answers the public plans; otherwise 404 and there is no Billing tab.
  const saas = useQuery({
    queryKey: ["saas", "plans"],
    queryFn: () =>
      api.get<unknown[]>("saas/plans").catch((error: unknown) => (error instanceof ApiError && error.status === 404 ? null : Promise.reject(error))),
    staleTime: 5 * 60 * 1000,
    retry: false,
  });
  const pages = [
    { to: "/setup/users", label: t("work.admin.users") },
    { to: "/setup/stages", label: t("work.admin.stages") },
    { to: "/setup/tags", label: t("tags.admin.tab") },
    { to: "/setup/organization", label: t("work.admin.organization") },
    { to: "/setup/sharing", label: t("sharing.settings.tab") },
    { to: "/setup/jobs", label: t("jobs.title") },
    { to: "/setup/templates", label: t("sales.studio.tab") },
    { to: "/setup/web-forms", label: t("automation.webForms.tab") },
    { to: "/setup/workflows", label: t("automation.workflows.tab") },
    { to: "/setup/webhooks", label: t("automation.webhooks.tab") },
    ...(saas.data ? [{ to: "/setup/billing", label: t("stripe.saas.billingTab") }] : []),
    { to: "/setup/reminders", label: t("collections.levels.tab") },
    { to: "/setup/bank", label: t("collections.bank.tab") },
  ];
  return (
    <nav className="slds-tabs_default slds-m-bottom_small" aria-label={t("work.admin.setup")}>
      <ul className="slds-tabs_default__nav">
        {pages.map((page) => {
          const current = pathname === page.to || pathname.startsWith(`${page.to}/`);
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
