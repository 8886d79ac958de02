import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ObjectIcon } from "../../components/icon";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { api, type Page } from "../../lib/api-client";
import { useSession } from "../../lib/session";
import { ActivityModal } from "../../records/activities/activity-modal";
import { activityKeys, isoDate, linkedRecord, type Activity } from "../../records/activities/activity-api";
import { useUpdateRecord } from "../../records/api/use-update-record";
import { formatDate } from "../../records/fields/format";
import { useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import { groupTasks } from "./group-tasks";

export function openTasksQuery(userId: number | undefined) {
  return {
    queryKey: activityKeys.todo(userId),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.get<Page<Activity>>("activities", { type: "Task", assigned_to: "me", status_ne: "Completed", ordering: "due_date", page_size: 200 }, signal),
  };
}

/** To-Do list: my open tasks by Overdue / Today / Upcoming / No date; ticking a box completes the task. */
export function TodoPage() {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const { data: user } = useSession();
  const { data: metaIndex } = useMetaIndex();
  const activityMeta = metaIndex?.byName.activity;
  const tasks = useQuery(openTasksQuery(user?.id));
  const [creating, setCreating] = useState(false);
  const [completing, setCompleting] = useState<Set<number>>(new Set());
  const update = useUpdateRecord(activityMeta ?? ({ name: "activity", api_path: "activities" } as NonNullable<typeof activityMeta>));
  const today = isoDate(new Date());

  useEffect(() => {
    document.title = `${t("work.todo.title")} | ${t("app.name")}`;
  }, [t]);

  const complete = async (task: Activity) => {
    setCompleting((current) => new Set(current).add(task.id));
    try {
      await update.mutateAsync({ id: task.id, version: task.version, changes: { status: "Completed" } });
      toast.show({ variant: "success", message: t("work.activity.completed", { name: task.subject }) });
    } catch {
      // useUpdateRecord shows the conflict or error toast and refetches.
    } finally {
      setCompleting((current) => {
        const next = new Set(current);
        next.delete(task.id);
        return next;
      });
    }
  };

  const rows = tasks.data?.results ?? [];
  const groups = groupTasks(rows, today);

  return (
    <div className="crm-page">
      <div className="slds-page-header crm-card-shadow">
        <div className="slds-page-header__row">
          <div className="slds-page-header__col-title">
            <div className="slds-media">
              <div className="slds-media__figure">
                <ObjectIcon icon="task" size="small" />
              </div>
              <div className="slds-media__body">
                <div className="slds-page-header__name">
                  <div className="slds-page-header__name-title">
                    <span className="slds-page-header__name-meta">{t("work.todo.subtitle")}</span>
                    <h1 className="slds-page-header__title slds-truncate">{t("work.todo.title")}</h1>
                  </div>
                </div>
              </div>
            </div>
          </div>
          <div className="slds-page-header__col-actions">
            <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating(true)}>
              {t("work.activity.newTask")}
            </button>
          </div>
        </div>
        <div className="slds-page-header__row">
          <p className="slds-page-header__meta-text slds-text-body_small">{t("work.todo.count", { count: rows.length })}</p>
        </div>
      </div>
      {tasks.isLoading ? <Spinner /> : null}
      {tasks.isError ? (
        <p className="slds-text-color_error slds-p-around_medium" role="alert">
          {t("errors.loadFailed")}
        </p>
      ) : null}
      {tasks.isSuccess && rows.length === 0 ? (
        <div className="slds-card slds-p-around_large slds-text-align_center slds-text-color_weak">{t("work.todo.empty")}</div>
      ) : null}
      {groups.map((group) => (
        <section key={group.key} className="slds-card crm-todo-group" aria-label={t(`work.todo.${group.key}`)}>
          <div className="slds-card__header slds-grid">
            <h2 className={`slds-card__header-title ${group.key === "overdue" ? "slds-text-color_error" : ""}`}>
              {t(`work.todo.${group.key}`)} ({group.tasks.length})
            </h2>
          </div>
          <ul className="slds-has-dividers_top-space">
            {group.tasks.map((task) => {
              const what = linkedRecord(task.what_type, task.what_id, task.what_name);
              const who = linkedRecord(task.who_type, task.who_id, task.who_name);
              const busy = completing.has(task.id);
              return (
                <li key={task.id} className="slds-item crm-todo-item">
                  <div className="slds-media slds-media_center">
                    <div className="slds-media__figure">
                      <div className="slds-checkbox">
                        <input type="checkbox" id={`todo-${task.id}`} checked={busy} disabled={busy} onChange={() => void complete(task)} />
                        <label className="slds-checkbox__label" htmlFor={`todo-${task.id}`}>
                          <span className="slds-checkbox_faux" />
                          <span className="slds-assistive-text">{t("work.activity.markComplete", { name: task.subject })}</span>
                        </label>
                      </div>
                    </div>
                    <div className="slds-media__body">
                      <p className="slds-truncate">
                        <Link to={`/o/activity/${task.id}`}>{task.subject}</Link>
                      </p>
                      <p className="slds-text-body_small slds-text-color_weak crm-todo-meta">
                        {what ? <Link to={`/o/${what.object}/${what.id}`}>{what.title}</Link> : null}
                        {what && who ? " • " : null}
                        {who ? <Link to={`/o/${who.object}/${who.id}`}>{who.title}</Link> : null}
                        {what || who ? " • " : null}
                        {labels.option(task.priority)}
                      </p>
                    </div>
                    <div
                      className={`slds-media__figure slds-media__figure_reverse slds-text-body_small ${group.key === "overdue" ? "slds-text-color_error" : "slds-text-color_weak"}`}
                    >
                      {task.due_date ? formatDate(task.due_date, i18n.language) : t("work.activity.noDueDate")}
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {creating ? <ActivityModal kind="task" defaults={{ dueDate: today }} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
