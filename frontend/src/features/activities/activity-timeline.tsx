import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card } from "../../components/card";
import { Icon } from "../../components/icon";
import { formatDate, formatDateTime, isoDate } from "../../records/fields/format";
import { recordTitle, useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import type { MetaIndex, ObjectMeta, RecordData } from "../../records/metadata/types";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { ActivityModal, type ActivityDefaults } from "./activity-modal";
import { activityWhen, linkObjects, linkedRecord, TASK_COMPLETED, type Activity, type ActivityKind } from "./api/activity-queries";

/** What/Who pre-filled from the record the timeline sits on (a contact also brings its account). */
export function timelineDefaults(metaIndex: MetaIndex | undefined, parentMeta: ObjectMeta, parent: RecordData): ActivityDefaults {
  const self = { object: parentMeta.name, id: parent.id, title: recordTitle(parentMeta, parent) };
  if (linkObjects(metaIndex, "who_type").includes(parentMeta.name)) {
    const accountId = parent.account_id as number | null | undefined;
    return {
      who: self,
      what: accountId ? { object: "account", id: accountId, title: String(parent.account_name ?? `#${accountId}`) } : null,
    };
  }
  if (linkObjects(metaIndex, "what_type").includes(parentMeta.name)) return { what: self };
  return {};
}

function isCall(activity: Activity): boolean {
  return activity.type === "Task" && /^(call|обаждане)\b/i.test(activity.subject);
}

function iconFor(activity: Activity): { icon: string; className: string } {
  if (activity.type === "Event") return { icon: "event", className: "slds-timeline__item_event" };
  if (isCall(activity)) return { icon: "log_a_call", className: "slds-timeline__item_call" };
  return { icon: "task", className: "slds-timeline__item_task" };
}

/** The activity timeline of a record page: newest first, with New Task / New Event / Log a Call. */
export function ActivityTimeline({ meta: parentMeta, record: parent }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const { data: metaIndex } = useMetaIndex();
  const canWrite = parent.is_active !== false;
  const [creating, setCreating] = useState<ActivityKind | null>(null);
  const rows = [...((parent.activities as Activity[] | undefined) ?? [])].sort((a, b) => activityWhen(b).localeCompare(activityWhen(a)));
  const today = isoDate(new Date());
  const title = `${t("work.activity.timeline")} (${rows.length})`;

  const when = (activity: Activity) => {
    if (activity.type === "Event") {
      if (activity.is_all_day_event)
        return t("work.activity.allDayOn", { date: formatDate(activity.start_time ? isoDate(new Date(activity.start_time)) : "", i18n.language) });
      return formatDateTime(activity.start_time, i18n.language);
    }
    return activity.due_date ? formatDate(activity.due_date, i18n.language) : t("work.activity.noDueDate");
  };

  return (
    <Card
      className="crm-activity-timeline"
      icon="task"
      title={title}
      inner
      toolbar={
        canWrite ? (
          <div className="slds-p-horizontal_medium slds-p-bottom_small">
            <div className="slds-button-group crm-activity-actions" role="group">
              <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating("task")}>
                <Icon category="utility" name="task" className="slds-button__icon slds-button__icon_left" />
                {t("work.activity.newTask")}
              </button>
              <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating("event")}>
                <Icon category="utility" name="event" className="slds-button__icon slds-button__icon_left" />
                {t("work.activity.newEvent")}
              </button>
              <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating("call")}>
                <Icon category="utility" name="call" className="slds-button__icon slds-button__icon_left" />
                {t("work.activity.logCall")}
              </button>
            </div>
          </div>
        ) : null
      }
    >
      {rows.length === 0 ? (
        <p className="slds-text-color_weak slds-p-bottom_small">{t("work.activity.empty")}</p>
      ) : (
        <ul className="slds-timeline">
          {rows.map((activity) => {
            const { icon, className } = iconFor(activity);
            const completed = activity.status === TASK_COMPLETED;
            const overdue = activity.type === "Task" && !completed && activity.due_date !== null && activity.due_date < today;
            const links = [
              linkedRecord(activity.what_type, activity.what_id, activity.what_name),
              linkedRecord(activity.who_type, activity.who_id, activity.who_name),
            ].filter((link) => link !== null);
            return (
              <li key={activity.id}>
                <div className={`slds-timeline__item_expandable ${className}`}>
                  <div className="slds-media">
                    <div className="slds-media__figure">
                      <div
                        className={`slds-icon_container slds-icon-standard-${icon.replace(/_/g, "-")} slds-timeline__icon`}
                        title={labels.option(activity.type)}
                      >
                        <Icon category="standard" name={icon} size="small" />
                      </div>
                    </div>
                    <div className="slds-media__body">
                      <div className="slds-grid slds-grid_align-spread slds-timeline__trigger">
                        <div className="slds-grid slds-grid_vertical-align-center slds-truncate_container_75 slds-no-space">
                          <h3 className="slds-truncate" title={activity.subject}>
                            <Link to={`/o/activity/${activity.id}`} className={completed ? "crm-completed" : undefined}>
                              <strong>{activity.subject}</strong>
                            </Link>
                          </h3>
                        </div>
                        <div className="slds-timeline__actions slds-timeline__actions_inline">
                          <p className={`slds-timeline__date ${overdue ? "slds-text-color_error" : ""}`}>{when(activity)}</p>
                        </div>
                      </div>
                      <p className="slds-m-horizontal_xx-small slds-text-body_small slds-text-color_weak">
                        {[
                          activity.type === "Task" ? labels.option(activity.status) : activity.location,
                          activity.assigned_to_name ? t("work.activity.assignedToName", { name: activity.assigned_to_name }) : "",
                          overdue ? t("work.activity.overdue") : "",
                        ]
                          .filter(Boolean)
                          .join(" • ")}
                      </p>
                      {links.length ? (
                        <p className="slds-m-horizontal_xx-small slds-text-body_small">
                          {links.map((link, index) => (
                            <span key={`${link.object}-${link.id}`}>
                              {index ? ", " : ""}
                              <Link to={`/o/${link.object}/${link.id}`}>{link.title}</Link>
                            </span>
                          ))}
                        </p>
                      ) : null}
                    </div>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {creating ? <ActivityModal kind={creating} defaults={timelineDefaults(metaIndex, parentMeta, parent)} onClose={() => setCreating(null)} /> : null}
    </Card>
  );
}
