import { useTranslation } from "react-i18next";
import { formatCurrency, formatNumber } from "../../records/fields/format";
import type { Dashboard } from "./api/dashboard-queries";

export type MonthChartProps = { months: Dashboard["won_by_month"]; currency: string };

/** Won revenue per month, oldest first: one vertical SVG bar per month. */
export function MonthChart({ months, currency }: MonthChartProps) {
  const { t, i18n } = useTranslation();
  const max = Math.max(1, ...months.map((month) => Number(month.amount)));
  const monthName = (key: string) => new Intl.DateTimeFormat(i18n.language, { month: "short" }).format(new Date(`${key}-01T12:00:00`));
  return (
    <figure className="crm-month-chart" aria-label={t("sharing.dashboard.wonByMonth")}>
      <ul className="crm-month-bars">
        {months.map((month) => {
          const amount = Number(month.amount);
          const money = formatCurrency(amount, i18n.language, currency);
          const label = t("sharing.dashboard.monthBar", { month: `${monthName(month.month)} ${month.month.slice(0, 4)}`, amount: money });
          return (
            <li key={month.month} className="crm-month-bar" title={label}>
              <svg role="img" aria-label={label} viewBox="0 0 20 100" preserveAspectRatio="none">
                <rect x="2" y={100 - (amount / max) * 100} width="16" height={(amount / max) * 100} rx="1" fill="#2e844a" />
              </svg>
              <span className="crm-month-label">{monthName(month.month)}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

export type ConversionFunnelProps = { conversion: Dashboard["conversion"] };

/** Leads created in the 12 months, how many became opportunities, and how many of those were won. */
export function ConversionFunnel({ conversion }: ConversionFunnelProps) {
  const { t, i18n } = useTranslation();
  const steps = [
    { key: "leads", label: t("sharing.dashboard.leads"), count: conversion.leads, rate: null },
    { key: "opportunities", label: t("sharing.dashboard.opportunities"), count: conversion.opportunities, rate: conversion.lead_to_opportunity },
    { key: "won", label: t("sharing.dashboard.won"), count: conversion.won, rate: conversion.opportunity_to_won },
  ];
  return (
    <ul className="crm-funnel">
      {steps.map((step) => (
        <li key={step.key} className="crm-funnel-step">
          <span className="crm-kpi-label">{step.label}</span>
          <span className="crm-kpi-value">{formatNumber(step.count, i18n.language)}</span>
          <span className="crm-kpi-meta">{step.rate === null ? "\u00a0" : t("sharing.dashboard.rate", { rate: formatNumber(step.rate, i18n.language) })}</span>
        </li>
      ))}
    </ul>
  );
}
