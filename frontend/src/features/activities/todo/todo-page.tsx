import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card } from "../../../components/card";
import { Checkbox } from "../../../components/form-element";
import { PageHeader } from "../../../components/page-header";
import { Spinner } from "../../../components/spinner";
import { useToast } from "../../../components/toast";
import { useSession } from "../../../lib/session";
import { useUpdateRecord } from "../../../records/api/use-update-record";
import { formatDate, isoDate } from "../../../records/fields/format";
import { useMetaIndex, useMetaLabels } from "../../../records/metadata/use-object-meta";
import { ActivityModal } from "../activity-modal";
import { ACTIVITY_OBJECT, linkedRecord, TASK_COMPLETED, todoQuery, type Activity } from "../api/activity-queries";
import { groupTasks } from "./group-tasks";

/** To-Do list: my open tasks by Overdue / Today / Upcoming / No date; ticking a box completes the task. */
export function TodoPage() {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const { data: user } = useSession();
  const { data: metaIndex } = useMetaIndex();
  const activityMeta = metaIndex?.byName.activity;
  const tasks = useQuery(todoQuery(user?.id));
  const [creating, setCreating] = useState(false);
  const [completing, setCompleting] = useState<Set<number>>(new Set());
  const update = useUpdateRecord(activityMeta ?? ({ name: ACTIVITY_OBJECT, api_path: "activities" } as NonNullable<typeof activityMeta>));
  const today = isoDate(new Date());

  useEffect(() => {
    document.title = `${t("work.todo.title")} | ${t("app.name")}`;
  }, [t]);

  const complete = async (task: Activity) => {
    setCompleting((current) => new Set(current).add(task.id));
    try {
      await update.mutateAsync({ id: task.id, version: task.version, changes: { status: TASK_COMPLETED } });
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
      <PageHeader
        icon="task"
        meta={t("work.todo.subtitle")}
        title={t("work.todo.title")}
        metaText={t("work.todo.count", { count: rows.length })}
        actions={
          <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating(true)}>
            {t("work.activity.newTask")}
          </button>
        }
      />
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
        <Card
          key={group.key}
          as="section"
          className="crm-todo-group"
          label={t(`work.todo.${group.key}`)}
          title={`${t(`work.todo.${group.key}`)} (${group.tasks.length})`}
          headingClassName={group.key === "overdue" ? "slds-text-color_error" : undefined}
        >
          <ul className="slds-has-dividers_top-space">
            {group.tasks.map((task) => {
              const what = linkedRecord(task.what_type, task.what_id, task.what_name);
              const who = linkedRecord(task.who_type, task.who_id, task.who_name);
              const busy = completing.has(task.id);
              return (
                <li key={task.id} className="slds-item crm-todo-item">
                  <div className="slds-media slds-media_center">
                    <div className="slds-media__figure">
                      <Checkbox
                        id={`todo-${task.id}`}
                        label={t("work.activity.markComplete", { name: task.subject })}
                        labelHidden
                        checked={busy}
                        disabled={busy}
                        onChange={() => void complete(task)}
                      />
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
        </Card>
      ))}
      {creating ? <ActivityModal kind="task" defaults={{ dueDate: today }} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
