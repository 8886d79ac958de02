import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { Table } from "../../components/table";
import { api, errorText } from "../../lib/api-client";
import { useSession } from "../../lib/session";
import { SetupNav } from "../admin/setup-nav";
import { useSubscription, type Plan } from "./saas-queries";

/** Goes to a Stripe page (Checkout or the customer portal). */
function useStripeRedirect(path: string) {
  return useMutation({
    mutationFn: (body: object) => api.post<{ url: string }>(path, body),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

function Meter({ used, limit, label }: { used: number; limit: number | null; label: string }) {
  const { t } = useTranslation();
  const share = limit ? Math.min(100, Math.round((used / limit) * 100)) : 0;
  return (
    <div className="slds-m-bottom_small">
      <div className="slds-grid slds-grid_align-spread slds-m-bottom_xx-small">
        <span className="slds-text-title">{label}</span>
        <span>{limit === null ? t("stripe.saas.usageUnlimited", { used }) : t("stripe.saas.usageOf", { used, limit })}</span>
      </div>
      {limit !== null ? (
        <div
          className="slds-progress-bar slds-progress-bar_small"
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={share}
        >
          <span
            className={`slds-progress-bar__value${share >= 100 ? " slds-progress-bar__value_success" : ""}`}
            style={{ width: `${share}%`, background: share >= 100 ? "#ba0517" : undefined }}
          />
        </div>
      ) : null}
    </div>
  );
}

function PlanCard({ plan, current, onChoose, busy }: { plan: Plan; current: boolean; onChoose: () => void; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <article
      className={`slds-card slds-card_boundary crm-plan${current ? " crm-plan_current" : ""}`}
      style={{ height: "100%", borderColor: current ? "#0176d3" : undefined }}
    >
      <div className="slds-card__header">
        <h3 className="slds-card__header-title slds-text-heading_small">{plan.name}</h3>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        <p className="slds-text-heading_medium slds-m-bottom_small">{plan.monthly_price}</p>
        <ul className="slds-list_dotted slds-m-bottom_medium">
          <li>{plan.seats === null ? t("stripe.saas.unlimitedSeats") : t("stripe.saas.perPlanSeats", { count: plan.seats })}</li>
          <li>{plan.record_limit === null ? t("stripe.saas.unlimitedRecords") : t("stripe.saas.perPlanRecords", { count: plan.record_limit })}</li>
          {plan.features.map((feature) => (
            <li key={feature}>{t(`stripe.saas.feature_${feature}`)}</li>
          ))}
        </ul>
        {current ? (
          <button type="button" className="slds-button slds-button_neutral slds-button_stretch" disabled>
            {t("stripe.saas.current")}
          </button>
        ) : plan.purchasable ? (
          <button type="button" className="slds-button slds-button_brand slds-button_stretch" disabled={busy} onClick={onChoose}>
            {busy ? t("stripe.saas.redirecting") : t("stripe.saas.upgrade", { plan: plan.name })}
          </button>
        ) : null}
      </div>
    </article>
  );
}

/** Setup › Billing & Plan (SaaS mode): the plan, usage against its limits, upgrade via Checkout, billing via the portal. */
export function BillingPage() {
  const { t } = useTranslation();
  const { data: user } = useSession();
  const subscription = useSubscription();
  const checkout = useStripeRedirect("saas/checkout");
  const portal = useStripeRedirect("saas/portal");

  useEffect(() => {
    document.title = `${t("stripe.saas.billingTitle")} | ${t("work.admin.setup")}`;
  }, [t]);

  if (subscription.isLoading) return <Spinner />;
  if (!subscription.data) return <FormAlert>{errorText(subscription.error, t("errors.generic"))}</FormAlert>;
  const state = subscription.data;
  const isAdmin = Boolean(user?.is_admin);
  const failure = checkout.error ?? portal.error;
  const counted = state.records.filter((row) => row.count > 0);

  return (
    <div className="crm-page">
      <PageHeader
        icon="product"
        meta={t("work.admin.setup")}
        title={t("stripe.saas.billingTitle")}
        metaText={t("stripe.saas.billingIntro")}
        actions={
          isAdmin && state.has_billing_account ? (
            <div className="slds-button-group" role="group">
              <button type="button" className="slds-button slds-button_neutral" disabled={portal.isPending} onClick={() => portal.mutate({})}>
                {portal.isPending ? t("stripe.saas.redirecting") : t("stripe.saas.manageBilling")}
              </button>
            </div>
          ) : null
        }
      />
      <SetupNav />
      {failure ? <FormAlert snag>{errorText(failure, t("stripe.saas.failed"))}</FormAlert> : null}
      {state.status === "past_due" ? (
        <div className="slds-notify slds-notify_alert slds-alert_warning slds-m-bottom_small" role="alert">
          <h2>{t("stripe.saas.pastDue")}</h2>
        </div>
      ) : null}
      <div className="slds-grid slds-gutters slds-wrap">
        <div className="slds-col slds-size_1-of-1 slds-large-size_1-of-3 slds-m-bottom_small">
          <article className="slds-card" style={{ height: "100%" }}>
            <div className="slds-card__header">
              <h2 className="slds-card__header-title slds-text-heading_small">{t("stripe.saas.currentPlan")}</h2>
            </div>
            <div className="slds-card__body slds-card__body_inner">
              <p className="slds-text-heading_large slds-m-bottom_x-small">{state.plan.name}</p>
              <dl className="slds-list_horizontal slds-wrap slds-m-bottom_medium">
                <dt className="slds-item_label slds-text-color_weak">{t("stripe.saas.status")}</dt>
                <dd className="slds-item_detail">
                  <span className={`slds-badge${state.status === "active" || state.status === "trialing" ? " slds-theme_success" : " slds-theme_warning"}`}>
                    {t(`stripe.saas.statuses.${state.status}`)}
                  </span>
                </dd>
                {state.current_period_end ? (
                  <>
                    <dt className="slds-item_label slds-text-color_weak">{t("stripe.saas.renews")}</dt>
                    <dd className="slds-item_detail">{new Date(state.current_period_end).toLocaleDateString()}</dd>
                  </>
                ) : null}
              </dl>
              <Meter used={state.seats.used} limit={state.seats.limit} label={t("stripe.saas.seats")} />
              {!state.has_billing_account ? <p className="slds-text-color_weak slds-text-body_small">{t("stripe.saas.noBillingAccount")}</p> : null}
            </div>
          </article>
        </div>
        <div className="slds-col slds-size_1-of-1 slds-large-size_2-of-3 slds-m-bottom_small">
          <article className="slds-card" style={{ height: "100%" }}>
            <div className="slds-card__header">
              <h2 className="slds-card__header-title slds-text-heading_small">{t("stripe.saas.records")}</h2>
            </div>
            <Table
              className="crm-card-table"
              label={t("stripe.saas.records")}
              columns={[
                { key: "object", label: t("stripe.saas.object") },
                { key: "count", label: t("stripe.saas.count") },
                { key: "limit", label: t("stripe.saas.limit") },
              ]}
            >
              {(counted.length ? counted : state.records.slice(0, 5)).map((row) => {
                const full = row.limit !== null && row.count >= row.limit;
                return (
                  <tr key={row.object} className="slds-hint-parent">
                    <th scope="row">
                      <div className="slds-truncate">{row.label}</div>
                      {full ? <div className="slds-text-color_error slds-text-body_small slds-cell-wrap">{t("stripe.saas.atLimit")}</div> : null}
                    </th>
                    <td>{row.count}</td>
                    <td>{row.limit === null ? t("stripe.saas.unlimited") : row.limit}</td>
                  </tr>
                );
              })}
            </Table>
          </article>
        </div>
      </div>
      <h2 className="slds-text-heading_small slds-m-vertical_small">{t("stripe.saas.plans")}</h2>
      <div className="slds-grid slds-gutters slds-wrap">
        {state.plans.map((plan) => (
          <div key={plan.code} className="slds-col slds-size_1-of-1 slds-medium-size_1-of-3 slds-m-bottom_small">
            <PlanCard
              plan={plan}
              current={plan.code === state.plan.code && state.status !== "canceled"}
              busy={
                checkout.isPending && checkout.variables && "plan" in checkout.variables ? (checkout.variables as { plan: string }).plan === plan.code : false
              }
              onChoose={() => (isAdmin ? checkout.mutate({ plan: plan.code }) : undefined)}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
