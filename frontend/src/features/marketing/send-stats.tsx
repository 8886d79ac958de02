import { useTranslation } from "react-i18next";
import { Card, CardEmpty } from "../../components/card";
import { formatNumber } from "../../records/fields/format";
import type { EmailStats } from "./api/marketing-queries";
import { linkBars, progressOf, statBars } from "./stats-data";

function percent(rate: number | null, language: string): string {
  return rate === null ? "–" : new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 }).format(rate);
}

/** How far a send got: an SLDS progress bar over its recipients. */
export function SendProgress({ stats }: { stats: EmailStats }) {
  const { t, i18n } = useTranslation();
  const progress = progressOf(stats);
  const label = t("marketing.sends.progress", { done: formatNumber(progress.done, i18n.language), total: formatNumber(progress.total, i18n.language) });
  return (
    <div className="crm-send-progress">
      <div className="slds-grid slds-grid_align-spread slds-m-bottom_xx-small">
        <span id="send-progress-label">{label}</span>
        <span aria-hidden="true">{progress.percent}%</span>
      </div>
      <div
        className="slds-progress-bar slds-progress-bar_circular"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.percent}
        aria-labelledby="send-progress-label"
      >
        <span className="slds-progress-bar__value slds-progress-bar__value_success" style={{ width: `${progress.percent}%` }} />
      </div>
    </div>
  );
}

/** The statistics of a send: delivered, opens (people and machines apart), clicks, unsubscribes, bounces, and clicks per link. */
export function SendStatistics({ stats }: { stats: EmailStats }) {
  const { t, i18n } = useTranslation();
  const bars = statBars(stats);
  const links = linkBars(stats);
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <>
      <Card title={t("marketing.sends.statistics")} icon="metrics">
        <div className="crm-kpis crm-send-kpis slds-p-horizontal_medium">
          {bars.map((bar) => (
            <div
              key={bar.key}
              className={`slds-card crm-kpi crm-send-kpi crm-send-kpi_${bar.tone}`}
              role="group"
              aria-label={t(`marketing.sends.stats.${bar.key}`)}
            >
              <span className="crm-kpi-label">{t(`marketing.sends.stats.${bar.key}`)}</span>
              <span className="crm-kpi-value" data-testid={`stat-${bar.key}`}>
                {number(bar.value)}
              </span>
              <span className="crm-kpi-meta">
                {t(bar.key === "delivered" || bar.key === "bounces" ? "marketing.sends.ofSent" : "marketing.sends.ofDelivered", {
                  rate: percent(bar.rate, i18n.language),
                })}
              </span>
            </div>
          ))}
        </div>
        <EngagementChart stats={stats} />
      </Card>
      <Card title={t("marketing.sends.linkClicks")} icon="link">
        {links.length ? (
          <figure className="crm-chart slds-p-horizontal_medium slds-p-bottom_medium" aria-label={t("marketing.sends.linkClicks")}>
            <ul className="crm-chart-rows">
              {links.map((link) => {
                const text = t("marketing.sends.linkBar", { url: link.url, clicks: number(link.clicks), people: number(link.people) });
                return (
                  <li key={link.url} className="crm-chart-row crm-link-row" title={text}>
                    <span className="crm-chart-label slds-truncate">{link.url}</span>
                    <svg className="crm-chart-bar" role="img" aria-label={text}>
                      <rect x="0" y="4" height="20" width={`${link.width}%`} rx="2" className="crm-send-bar crm-send-bar_base" />
                    </svg>
                    <span className="crm-chart-value">
                      {t("marketing.sends.clicks", { count: link.clicks, formatted: number(link.clicks) })}
                      <span className="slds-text-color_weak"> · {t("marketing.sends.people", { count: link.people, formatted: number(link.people) })}</span>
                    </span>
                  </li>
                );
              })}
            </ul>
          </figure>
        ) : (
          <CardEmpty>{t("marketing.sends.noClicks")}</CardEmpty>
        )}
      </Card>
    </>
  );
}

/** Bars of delivered, opens (people and machines apart), clicks, unsubscribes and bounces, with their rates. */
export function EngagementChart({ stats }: { stats: EmailStats }) {
  const { t, i18n } = useTranslation();
  const bars = statBars(stats);
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <figure className="crm-chart slds-p-around_medium" aria-label={t("marketing.sends.engagementChart")}>
      <ul className="crm-chart-rows">
        {bars.map((bar) => {
          const text = t("marketing.sends.bar", {
            label: t(`marketing.sends.stats.${bar.key}`),
            value: number(bar.value),
            rate: percent(bar.rate, i18n.language),
          });
          return (
            <li key={bar.key} className="crm-chart-row" title={text}>
              <span className="crm-chart-label slds-truncate">{t(`marketing.sends.stats.${bar.key}`)}</span>
              <svg className="crm-chart-bar" role="img" aria-label={text}>
                {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
                  <line key={tick} x1={`${tick * 100}%`} x2={`${tick * 100}%`} y1="0" y2="100%" className="crm-chart-grid" />
                ))}
                <rect x="0" y="4" height="20" width={`${bar.width}%`} rx="2" className={`crm-send-bar crm-send-bar_${bar.tone}`} />
              </svg>
              <span className="crm-chart-value">
                {number(bar.value)}
                <span className="slds-text-color_weak"> ({percent(bar.rate, i18n.language)})</span>
              </span>
            </li>
          );
        })}
      </ul>
      <figcaption className="slds-text-body_small slds-text-color_weak slds-m-top_x-small">
        {t("marketing.sends.machineNote", { clicks: number(stats.machine_clicks) })}
        {stats.unknown ? ` ${t("marketing.sends.unknownNote", { count: stats.unknown })}` : ""}
      </figcaption>
    </figure>
  );
}
