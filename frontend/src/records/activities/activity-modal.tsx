import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Modal } from "../../components/modal";
import { useToast } from "../../components/toast";
import { ApiError } from "../../lib/api-client";
import { useSession } from "../../lib/session";
import { toDateTimeLocal } from "../fields/format";
import { LookupInput } from "../fields/lookup-input";
import { RecordSearchLookup, type SearchSelection } from "../fields/record-search-lookup";
import { useMetaLabels } from "../metadata/use-object-meta";
import {
  PRIORITIES,
  TASK_STATUSES,
  WHAT_OBJECTS,
  WHO_OBJECTS,
  isoDate,
  linkTypeLabel,
  useCreateActivity,
  type Activity,
  type ActivityKind,
  type LinkedRecord,
} from "./activity-api";

export type ActivityDefaults = {
  what?: LinkedRecord | null;
  who?: LinkedRecord | null;
  /** Event start/end (calendar click) or task due date. */
  start?: Date;
  end?: Date;
  allDay?: boolean;
  dueDate?: string;
};

export type ActivityModalProps = {
  kind: ActivityKind;
  defaults?: ActivityDefaults;
  onClose: () => void;
  onSaved?: (activity: Activity) => void;
};

function addDays(date: Date, days: number): Date {
  const copy = new Date(date);
  copy.setDate(copy.getDate() + days);
  return copy;
}

function nextHour(): Date {
  const date = new Date();
  date.setMinutes(0, 0, 0);
  date.setHours(date.getHours() + 1);
  return date;
}

function localDate(value: string): Date {
  const [year, month, day] = value.split("-").map(Number);
  return new Date(year, (month ?? 1) - 1, day ?? 1);
}

type Errors = Record<string, string[]>;

/** New Task / New Event / Log a Call, with Assigned To, Related To (What) and Name (Who) lookups. */
export function ActivityModal({ kind, defaults = {}, onClose, onSaved }: ActivityModalProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const { data: user } = useSession();
  const create = useCreateActivity();
  const formId = useId();
  const fieldId = useId();
  const isEvent = kind === "event";
  const initialStart = defaults.start ?? nextHour();
  const initialEnd = defaults.end ?? new Date(initialStart.getTime() + 60 * 60_000);
  const initialAllDay = Boolean(defaults.allDay);

  const [subject, setSubject] = useState(kind === "call" ? t("work.activity.callSubject") : "");
  const [description, setDescription] = useState("");
  const [status, setStatus] = useState<string>(kind === "call" ? "Completed" : "Not Started");
  const [priority, setPriority] = useState<string>("Normal");
  const [dueDate, setDueDate] = useState(defaults.dueDate ?? (kind === "call" ? isoDate(new Date()) : ""));
  const [allDay, setAllDay] = useState(initialAllDay);
  const [start, setStart] = useState(initialAllDay ? isoDate(initialStart) : toDateTimeLocal(initialStart.toISOString()));
  const [end, setEnd] = useState(
    initialAllDay ? isoDate(addDays(initialEnd, -1) < initialStart ? initialStart : addDays(initialEnd, -1)) : toDateTimeLocal(initialEnd.toISOString()),
  );
  const [location, setLocation] = useState("");
  const [assignee, setAssignee] = useState<{ id: number | null; name: string | null }>({ id: user?.id ?? null, name: user?.name ?? null });
  const [what, setWhat] = useState<SearchSelection | null>(defaults.what ?? null);
  const [who, setWho] = useState<SearchSelection | null>(defaults.who ?? null);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const title = isEvent ? t("work.activity.newEventTitle") : kind === "call" ? t("work.activity.logCallTitle") : t("work.activity.newTaskTitle");

  const toggleAllDay = (checked: boolean) => {
    setAllDay(checked);
    setStart((value) => (checked ? value.slice(0, 10) : `${value.slice(0, 10)}T09:00`));
    setEnd((value) => (checked ? value.slice(0, 10) : `${value.slice(0, 10)}T10:00`));
  };

  const body = (): Record<string, unknown> | null => {
    const local: Errors = {};
    if (!subject.trim()) local.subject = [t("form.requiredError")];
    const payload: Record<string, unknown> = {
      type: isEvent ? "Event" : "Task",
      subject: subject.trim(),
      description,
      assigned_to_id: assignee.id ?? undefined,
      what_type: what ? linkTypeLabel(what.object) : "",
      what_id: what?.id ?? null,
      who_type: who ? linkTypeLabel(who.object) : "",
      who_id: who?.id ?? null,
    };
    if (isEvent) {
      if (!start) local.start_time = [t("form.requiredError")];
      if (!end) local.end_time = [t("form.requiredError")];
      if (start && end) {
        // All-day events end at midnight after their last day, as calendars expect.
        const startDate = allDay ? localDate(start) : new Date(start);
        const endDate = allDay ? addDays(localDate(end), 1) : new Date(end);
        if (endDate <= startDate) local.end_time = [t("work.activity.endBeforeStart")];
        payload.start_time = startDate.toISOString();
        payload.end_time = endDate.toISOString();
      }
      payload.is_all_day_event = allDay;
      payload.location = location;
    } else {
      payload.status = status;
      payload.priority = priority;
      payload.due_date = dueDate || null;
    }
    setErrors(local);
    return Object.keys(local).length ? null : payload;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const payload = body();
    if (!payload) {
      setFormError(t("form.reviewErrors"));
      return;
    }
    try {
      const saved = await create.mutateAsync(payload);
      const key = isEvent ? "work.activity.eventCreated" : kind === "call" ? "work.activity.callLogged" : "work.activity.created";
      toast.show({ variant: "success", message: t(key, { name: saved.subject }), link: { to: `/o/activity/${saved.id}`, label: t("common.show") } });
      onSaved?.(saved);
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        const fieldErrors = { ...error.fieldErrors };
        for (const prefix of ["what", "who", "assigned_to"]) {
          if (fieldErrors[`${prefix}_type`]) fieldErrors[`${prefix}_id`] = [...(fieldErrors[`${prefix}_id`] ?? []), ...fieldErrors[`${prefix}_type`]];
        }
        setErrors(fieldErrors);
        setFormError(Object.keys(fieldErrors).length ? t("form.reviewErrors") : error.message);
      } else {
        setFormError(t("errors.generic"));
      }
    }
  };

  const field = (
    name: string,
    label: string,
    control: (id: string, describedBy?: string) => ReactNode,
    options: { required?: boolean; wide?: boolean } = {},
  ) => {
    const id = `${fieldId}-${name}`;
    const messages = errors[name];
    const errorId = `${id}-error`;
    return (
      <div className={`slds-col slds-size_1-of-1 ${options.wide ? "" : "slds-medium-size_1-of-2"}`}>
        <div className={`slds-form-element slds-form-element_stacked ${messages?.length ? "slds-has-error" : ""}`}>
          <label className="slds-form-element__label" htmlFor={id}>
            {options.required ? (
              <abbr className="slds-required" title={t("common.required")}>
                *{" "}
              </abbr>
            ) : null}
            {label}
          </label>
          <div className="slds-form-element__control">{control(id, messages?.length ? errorId : undefined)}</div>
          {messages?.length ? (
            <div className="slds-form-element__help" id={errorId}>
              {messages.join(" ")}
            </div>
          ) : null}
        </div>
      </div>
    );
  };

  const select = (value: string, onChange: (value: string) => void, options: readonly string[]) => (id: string) => (
    <div className="slds-select_container">
      <select id={id} className="slds-select" value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option} value={option}>
            {labels.option(option)}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" form={formId} className="slds-button slds-button_brand" disabled={create.isPending}>
            {create.isPending ? t("common.saving") : t("common.save")}
          </button>
        </>
      }
    >
      {formError ? (
        <div className="slds-notify slds-notify_alert slds-alert_error slds-m-bottom_medium" role="alert">
          <h2>
            <strong>{t("form.snag")}</strong> {formError}
          </h2>
        </div>
      ) : null}
      <form id={formId} noValidate onSubmit={submit}>
        <div className="slds-grid slds-wrap slds-gutters_small">
          {field(
            "subject",
            t("work.activity.subject"),
            (id, describedBy) => (
              <input
                id={id}
                className="slds-input"
                value={subject}
                maxLength={255}
                aria-invalid={Boolean(errors.subject) || undefined}
                aria-describedby={describedBy}
                onChange={(event) => setSubject(event.target.value)}
              />
            ),
            { required: true, wide: true },
          )}
          {isEvent ? (
            <>
              <div className="slds-col slds-size_1-of-1">
                <div className="slds-form-element slds-form-element_stacked">
                  <div className="slds-form-element__control">
                    <div className="slds-checkbox">
                      <input type="checkbox" id={`${fieldId}-allday`} checked={allDay} onChange={(event) => toggleAllDay(event.target.checked)} />
                      <label className="slds-checkbox__label" htmlFor={`${fieldId}-allday`}>
                        <span className="slds-checkbox_faux" />
                        <span className="slds-form-element__label">{t("work.activity.allDay")}</span>
                      </label>
                    </div>
                  </div>
                </div>
              </div>
              {field(
                "start_time",
                t("work.activity.start"),
                (id, describedBy) => (
                  <input
                    id={id}
                    className="slds-input"
                    type={allDay ? "date" : "datetime-local"}
                    value={start}
                    aria-describedby={describedBy}
                    onChange={(event) => setStart(event.target.value)}
                  />
                ),
                { required: true },
              )}
              {field(
                "end_time",
                t("work.activity.end"),
                (id, describedBy) => (
                  <input
                    id={id}
                    className="slds-input"
                    type={allDay ? "date" : "datetime-local"}
                    value={end}
                    aria-describedby={describedBy}
                    onChange={(event) => setEnd(event.target.value)}
                  />
                ),
                { required: true },
              )}
              {field("location", t("work.activity.location"), (id) => (
                <input id={id} className="slds-input" value={location} maxLength={255} onChange={(event) => setLocation(event.target.value)} />
              ))}
            </>
          ) : (
            <>
              {field("due_date", t("work.activity.dueDate"), (id, describedBy) => (
                <input
                  id={id}
                  className="slds-input"
                  type="date"
                  value={dueDate}
                  aria-describedby={describedBy}
                  onChange={(event) => setDueDate(event.target.value)}
                />
              ))}
              {kind === "call" ? null : field("status", t("work.activity.status"), select(status, setStatus, TASK_STATUSES))}
              {kind === "call" ? null : field("priority", t("work.activity.priority"), select(priority, setPriority, PRIORITIES))}
            </>
          )}
          {field(
            "assigned_to_id",
            t("work.activity.assignedTo"),
            (id, describedBy) => (
              <LookupInput
                id={id}
                target="user"
                label={t("work.activity.assignedTo")}
                value={assignee.id}
                displayName={assignee.name}
                describedBy={describedBy}
                onChange={(newId, name) => setAssignee({ id: newId, name })}
              />
            ),
            { required: true },
          )}
          {field("what_id", t("work.activity.relatedTo"), (id, describedBy) => (
            <RecordSearchLookup
              id={id}
              objects={WHAT_OBJECTS}
              value={what}
              onChange={setWhat}
              placeholder={t("work.activity.searchRecords")}
              describedBy={describedBy}
              invalid={Boolean(errors.what_id)}
            />
          ))}
          {field("who_id", t("work.activity.name"), (id, describedBy) => (
            <RecordSearchLookup
              id={id}
              objects={WHO_OBJECTS}
              value={who}
              onChange={setWho}
              placeholder={t("work.activity.searchPeople")}
              describedBy={describedBy}
              invalid={Boolean(errors.who_id)}
            />
          ))}
          {field(
            "description",
            t("work.activity.comments"),
            (id) => (
              <textarea id={id} className="slds-textarea" rows={3} value={description} onChange={(event) => setDescription(event.target.value)} />
            ),
            { wide: true },
          )}
        </div>
      </form>
    </Modal>
  );
}
