import { useQuery } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card } from "../../components/card";
import { PageHeader } from "../../components/page-header";
import { useCurrency, useSession } from "../../lib/session";
import { formatCurrency, formatDate, formatNumber, isoDate } from "../../records/fields/format";
import { useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import { dashboardQuery, myEventsQuery, myTasksQuery, ordersWithBalanceQuery } from "./api/dashboard-queries";
import { ConversionFunnel, MonthChart } from "./dashboard-charts";
import { PipelineChart } from "./pipeline-chart";

/** First and last day of the calendar quarter that contains `date`. */
export function quarterRange(date: Date): { start: string; end: string; quarter: number } {
  const quarter = Math.floor(date.getMonth() / 3);
  const start = new Date(date.getFullYear(), quarter * 3, 1);
  const end = new Date(date.getFullYear(), quarter * 3 + 3, 0);
  return { start: isoDate(start), end: isoDate(end), quarter: quarter + 1 };
}

export type DashboardCardProps = { icon: string; title: string; link?: string; children: ReactNode; className?: string };

function DashboardCard({ icon, title, link, children, className }: DashboardCardProps) {
  const { t } = useTranslation();
  return (
    <Card
      className={`crm-dash-card ${className ?? ""}`}
      icon={icon}
      title={title}
      inner
      footer={
        link ? (
          <Link className="slds-card__footer-action" to={link}>
            {t("work.dashboard.viewAll")}
          </Link>
        ) : null
      }
    >
      {children}
    </Card>
  );
}

/** Home dashboard: KPI tiles and charts from GET /dashboard (one request), my tasks and events, orders with a balance. */
export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const currency = useCurrency();
  const { data: user } = useSession();
  const { data: metaIndex } = useMetaIndex();
  const today = isoDate(new Date());
  const quarter = quarterRange(new Date());
  const money = (value: unknown) => formatCurrency(value, i18n.language, currency);
  // List counts stop at the server's cap: past it they read "10,000+".
  const countText = (count: number, capped = false) => {
    const total = formatNumber(count, i18n.language);
    return capped ? t("list.countCapped", { total }) : total;
  };

  useEffect(() => {
    document.title = `${t("home.title")} | ${t("app.name")}`;
  }, [t]);

  const summary = useQuery(dashboardQuery());
  const dashboard = summary.data;
  const tasks = useQuery(myTasksQuery(user?.id));
  const events = useQuery(myEventsQuery(today));
  const orders = useQuery(ordersWithBalanceQuery());

  const chartStages = (dashboard?.pipeline ?? []).filter((stage) => !stage.is_closed || stage.is_won);
  const openCount = dashboard?.open.count ?? 0;
  const cases = dashboard?.open_cases_by_priority ?? [];
  const caseTotal = cases.reduce((sum, row) => sum + row.count, 0);
  const caseMax = Math.max(1, ...cases.map((row) => row.count));
  const loading = (empty: string) => <p className="slds-text-color_weak">{summary.isLoading ? t("common.loading") : empty}</p>;

  return (
    <div className="crm-page">
      <PageHeader icon="home" meta={t("home.subtitle")} title={t("home.welcome", { name: user?.name ?? "" })} />
      <div className="crm-kpis">
        <Link to="/o/opportunity" className="slds-card crm-kpi">
          <span className="crm-kpi-label">{t("work.dashboard.openAmount")}</span>
          <span className="crm-kpi-value">{dashboard ? money(dashboard.open.amount) : "…"}</span>
          <span className="crm-kpi-meta">{dashboard ? t("work.dashboard.openCount", { count: openCount }) : ""}</span>
        </Link>
        <Link to="/o/opportunity" className="slds-card crm-kpi crm-kpi_won">
          <span className="crm-kpi-label">
            {t("work.dashboard.wonQuarter")} · {t("work.dashboard.quarter", { quarter: quarter.quarter, year: new Date().getFullYear() })}
          </span>
          <span className="crm-kpi-value">{dashboard ? money(dashboard.won_quarter.amount) : "…"}</span>
          <span className="crm-kpi-meta">{dashboard ? t("work.dashboard.wonCount", { count: dashboard.won_quarter.count }) : ""}</span>
        </Link>
        <Link to="/todo" className="slds-card crm-kpi">
          <span className="crm-kpi-label">{t("work.dashboard.myTasks")}</span>
          <span className="crm-kpi-value">{tasks.data ? countText(tasks.data.count ?? 0, tasks.data.count_capped) : "…"}</span>
          <span className="crm-kpi-meta">{t("work.todo.title")}</span>
        </Link>
        <Link to="/o/case" className="slds-card crm-kpi">
          <span className="crm-kpi-label">{t("work.dashboard.openCases")}</span>
          <span className="crm-kpi-value">{dashboard ? countText(caseTotal) : "…"}</span>
          <span className="crm-kpi-meta">{metaIndex?.byName.case ? labels.objectPlural(metaIndex.byName.case) : ""}</span>
        </Link>
      </div>
      <div className="crm-dash-grid">
        <DashboardCard icon="opportunity" title={t("work.dashboard.pipeline")} link="/o/opportunity" className="crm-dash-wide">
          {chartStages.length && openCount + chartStages.reduce((sum, stage) => sum + stage.count, 0) > 0 ? (
            <PipelineChart stages={chartStages} currency={currency} />
          ) : (
            loading(t("work.dashboard.pipelineEmpty"))
          )}
        </DashboardCard>
        <DashboardCard icon="metrics" title={t("sharing.dashboard.wonByMonth")} link="/o/opportunity" className="crm-dash-wide">
          {dashboard ? <MonthChart months={dashboard.won_by_month} currency={currency} /> : loading("")}
        </DashboardCard>
        <DashboardCard icon="lead" title={t("sharing.dashboard.conversion")} link="/o/lead">
          {dashboard ? <ConversionFunnel conversion={dashboard.conversion} /> : loading("")}
        </DashboardCard>
        <DashboardCard icon="account" title={t("sharing.dashboard.topAccounts")} link="/o/account">
          {dashboard?.top_accounts.length ? (
            <ul className="slds-has-dividers_bottom-space">
              {dashboard.top_accounts.map((row) => (
                <li key={row.account_id} className="slds-item crm-dash-item">
                  <Link to={`/o/account/${row.account_id}`} className="slds-truncate">
                    {row.account_name}
                  </Link>
                  <span className="slds-text-body_small">{money(row.amount)}</span>
                </li>
              ))}
            </ul>
          ) : (
            loading(t("sharing.dashboard.topAccountsEmpty"))
          )}
        </DashboardCard>
        <DashboardCard icon="task" title={t("sharing.dashboard.overdueTasks")} link="/todo">
          {dashboard?.overdue_tasks.items.length ? (
            <ul className="slds-has-dividers_bottom-space">
              {dashboard.overdue_tasks.items.map((task) => (
                <li key={task.id} className="slds-item crm-dash-item">
                  <span className="slds-truncate">
                    <Link to={`/o/activity/${task.id}`}>{task.subject}</Link>
                    <span className="slds-text-color_weak"> · {task.assigned_to_name}</span>
                  </span>
                  <span className="slds-text-body_small slds-text-color_error">{formatDate(task.due_date, i18n.language)}</span>
                </li>
              ))}
            </ul>
          ) : (
            loading(t("sharing.dashboard.overdueEmpty"))
          )}
        </DashboardCard>
        <DashboardCard icon="event" title={t("sharing.dashboard.activitiesWeek")} link="/calendar">
          {dashboard?.activities_this_week.length ? (
            <ul className="slds-has-dividers_bottom-space">
              {dashboard.activities_this_week.map((row) => (
                <li key={row.user_id} className="slds-item crm-dash-item">
                  <span className="slds-truncate">{row.user_name}</span>
                  <span className="slds-text-body_small slds-text-color_weak">
                    {t("sharing.dashboard.tasksEvents", { tasks: row.tasks, events: row.events })}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            loading(t("sharing.dashboard.activitiesEmpty"))
          )}
        </DashboardCard>
        <DashboardCard icon="task" title={t("work.dashboard.myTasks")} link="/todo">
          {tasks.data?.results.length ? (
            <ul className="slds-has-dividers_bottom-space">
              {tasks.data.results.map((task) => (
                <li key={task.id} className="slds-item crm-dash-item">
                  <Link to={`/o/activity/${task.id}`} className="slds-truncate">
                    {task.subject}
                  </Link>
                  <span className={`slds-text-body_small ${task.due_date && task.due_date < today ? "slds-text-color_error" : "slds-text-color_weak"}`}>
                    {task.due_date ? formatDate(task.due_date, i18n.language) : t("work.activity.noDueDate")}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="slds-text-color_weak">{tasks.isLoading ? t("common.loading") : t("work.dashboard.tasksEmpty")}</p>
          )}
        </DashboardCard>
        <DashboardCard icon="event" title={t("work.dashboard.todayEvents")} link="/calendar">
          {events.data?.results.length ? (
            <ul className="slds-has-dividers_bottom-space">
              {events.data.results.map((event) => (
                <li key={event.id} className="slds-item crm-dash-item">
                  <Link to={`/o/activity/${event.id}`} className="slds-truncate">
                    {event.subject}
                  </Link>
                  <span className="slds-text-body_small slds-text-color_weak">
                    {event.is_all_day_event
                      ? t("work.calendar.allDay")
                      : new Intl.DateTimeFormat(i18n.language, { timeStyle: "short" }).format(new Date(event.start_time ?? ""))}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="slds-text-color_weak">{events.isLoading ? t("common.loading") : t("work.dashboard.eventsEmpty")}</p>
          )}
        </DashboardCard>
        <DashboardCard icon="orders" title={t("work.dashboard.overdueOrders")} link="/o/order">
          {orders.data?.results.length ? (
            <ul className="slds-has-dividers_bottom-space">
              {orders.data.results.map((order) => (
                <li key={order.id} className="slds-item crm-dash-item">
                  <span className="slds-truncate">
                    <Link to={`/o/order/${order.id}`}>{String(order.order_number ?? `#${order.id}`)}</Link>
                    <span className="slds-text-color_weak"> · {String(order.account_name ?? "")}</span>
                  </span>
                  <span className="slds-text-body_small slds-text-color_error">{t("work.dashboard.balance", { amount: money(order.balance_due) })}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="slds-text-color_weak">{orders.isLoading ? t("common.loading") : t("work.dashboard.ordersEmpty")}</p>
          )}
        </DashboardCard>
        <DashboardCard icon="case" title={t("work.dashboard.openCases")} link="/o/case">
          {caseTotal > 0 ? (
            <ul className="crm-chart-rows">
              {cases.map((row) => {
                const text = countText(row.count);
                return (
                  <li key={row.priority} className="crm-chart-row">
                    <span className="crm-chart-label slds-truncate">{labels.option(row.priority)}</span>
                    <svg className="crm-chart-bar" role="img" aria-label={`${labels.option(row.priority)}: ${text}`}>
                      <rect
                        x="0"
                        y="4"
                        height="20"
                        rx="2"
                        width={`${Math.max(row.count ? 1 : 0, (row.count / caseMax) * 100)}%`}
                        fill={row.priority === "High" ? "#ba0517" : row.priority === "Low" ? "#7f8ced" : "#fe9339"}
                      />
                    </svg>
                    <span className="crm-chart-value">{text}</span>
                  </li>
                );
              })}
            </ul>
          ) : (
            loading(t("work.dashboard.casesEmpty"))
          )}
        </DashboardCard>
      </div>
    </div>
  );
}
