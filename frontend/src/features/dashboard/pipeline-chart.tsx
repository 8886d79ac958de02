import { useTranslation } from "react-i18next";
import { formatCurrency, formatNumber } from "../../records/fields/format";

export type PipelineStage = { name: string; count: number; amount: string; is_closed: boolean; is_won: boolean };

export type PipelineChartProps = { stages: PipelineStage[]; currency: string };

const OPEN_COLOR = "#0176d3";
const WON_COLOR = "#2e844a";

/** Horizontal bar chart of amount by stage (plain SVG bars; labels stay readable at any width). */
export function PipelineChart({ stages, currency }: PipelineChartProps) {
  const { t, i18n } = useTranslation("translation");
  const { t: tm } = useTranslation("meta");
  const max = Math.max(1, ...stages.map((stage) => Number(stage.amount)));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <figure className="crm-chart" aria-label={t("work.dashboard.pipeline")}>
      <ul className="crm-chart-rows">
        {stages.map((stage) => {
          const amount = Number(stage.amount);
          const share = Math.max(amount > 0 ? 0.5 : 0, (amount / max) * 100);
          const label = tm(`options.${stage.name}`, { defaultValue: stage.name, nsSeparator: false });
          const money = formatCurrency(amount, i18n.language, currency);
          return (
            <li key={stage.name} className="crm-chart-row" title={t("work.dashboard.stageBar", { stage: label, count: stage.count, amount: money })}>
              <span className="crm-chart-label slds-truncate">{label}</span>
              <svg className="crm-chart-bar" role="img" aria-label={t("work.dashboard.stageBar", { stage: label, count: stage.count, amount: money })}>
                {ticks.map((tick) => (
                  <line key={tick} x1={`${tick * 100}%`} x2={`${tick * 100}%`} y1="0" y2="100%" className="crm-chart-grid" />
                ))}
                <rect x="0" y="4" height="20" width={`${share}%`} rx="2" fill={stage.is_won ? WON_COLOR : OPEN_COLOR} />
              </svg>
              <span className="crm-chart-value">
                {money}
                <span className="slds-text-color_weak"> ({formatNumber(stage.count, i18n.language)})</span>
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
