import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, FormAlert, FormElement, ModalFooter, Select, type FormControl } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { useToast } from "../../components/toast";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useSession } from "../../lib/session";
import type { SearchSelection } from "../../records/api/lookup-queries";
import { isoDate, toDateTimeLocal } from "../../records/fields/format";
import { LookupInput } from "../../records/fields/lookup-input";
import { RecordSearchLookup } from "../../records/fields/record-search-lookup";
import { useMetaIndex, usePicklist } from "../../records/metadata/use-object-meta";
import {
  ACTIVITY_OBJECT,
  DEFAULT_PRIORITY,
  TASK_COMPLETED,
  linkObjects,
  linkTypeLabel,
  useCreateActivity,
  type Activity,
  type ActivityKind,
  type LinkedRecord,
} from "./api/activity-queries";

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

/** Server errors on the type half of a link show under its lookup. */
const LINK_ALIASES = { what_type: "what_id", who_type: "who_id", assigned_to_type: "assigned_to_id" };

/** New Task / New Event / Log a Call, with Assigned To, Related To (What) and Name (Who) lookups. */
export function ActivityModal({ kind, defaults = {}, onClose, onSaved }: ActivityModalProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const { data: user } = useSession();
  const { data: metaIndex } = useMetaIndex();
  const statuses = usePicklist(ACTIVITY_OBJECT, "status");
  const priorities = usePicklist(ACTIVITY_OBJECT, "priority");
  const create = useCreateActivity();
  const { errors, formError, setFormError, validate, showError } = useFieldErrors({ aliases: LINK_ALIASES, summary: true });
  const formId = useId();
  const fieldId = useId();
  const isEvent = kind === "event";
  const initialStart = defaults.start ?? nextHour();
  const initialEnd = defaults.end ?? new Date(initialStart.getTime() + 60 * 60_000);
  const initialAllDay = Boolean(defaults.allDay);

  const [subject, setSubject] = useState(kind === "call" ? t("work.activity.callSubject") : "");
  const [description, setDescription] = useState("");
  const [chosenStatus, setStatus] = useState<string>(kind === "call" ? TASK_COMPLETED : "");
  // A new task starts with the first status the metadata lists.
  const status = chosenStatus || (statuses[0]?.value ?? "");
  const [priority, setPriority] = useState<string>(DEFAULT_PRIORITY);
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

  const title = isEvent ? t("work.activity.newEventTitle") : kind === "call" ? t("work.activity.logCallTitle") : t("work.activity.newTaskTitle");

  const toggleAllDay = (checked: boolean) => {
    setAllDay(checked);
    setStart((value) => (checked ? value.slice(0, 10) : `${value.slice(0, 10)}T09:00`));
    setEnd((value) => (checked ? value.slice(0, 10) : `${value.slice(0, 10)}T10:00`));
  };

  const body = (): Record<string, unknown> | null => {
    const checks: Record<string, string | undefined> = {};
    if (!subject.trim()) checks.subject = t("form.requiredError");
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
      if (!start) checks.start_time = t("form.requiredError");
      if (!end) checks.end_time = t("form.requiredError");
      if (start && end) {
        // All-day events end at midnight after their last day, as calendars expect.
        const startDate = allDay ? localDate(start) : new Date(start);
        const endDate = allDay ? addDays(localDate(end), 1) : new Date(end);
        if (endDate <= startDate) checks.end_time = t("work.activity.endBeforeStart");
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
    return validate(checks) ? payload : null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const payload = body();
    if (!payload) return;
    try {
      const saved = await create.mutateAsync(payload);
      const key = isEvent ? "work.activity.eventCreated" : kind === "call" ? "work.activity.callLogged" : "work.activity.created";
      toast.show({ variant: "success", message: t(key, { name: saved.subject }), link: { to: `/o/activity/${saved.id}`, label: t("common.show") } });
      onSaved?.(saved);
      onClose();
    } catch (error) {
      showError(error);
    }
  };

  const field = (name: string, label: string, control: (control: FormControl) => ReactNode, options: { required?: boolean; wide?: boolean } = {}) => (
    <div className={`slds-col slds-size_1-of-1 ${options.wide ? "" : "slds-medium-size_1-of-2"}`}>
      <FormElement id={`${fieldId}-${name}`} label={label} required={options.required} errors={errors[name]} className="slds-form-element_stacked">
        {control}
      </FormElement>
    </div>
  );

  return (
    <Modal title={title} onClose={onClose} footer={<ModalFooter onCancel={onClose} form={formId} busy={create.isPending} />}>
      {formError ? <FormAlert snag>{formError}</FormAlert> : null}
      <form id={formId} noValidate onSubmit={submit}>
        <div className="slds-grid slds-wrap slds-gutters_small">
          {field(
            "subject",
            t("work.activity.subject"),
            ({ aria }) => (
              <input {...aria} className="slds-input" value={subject} maxLength={255} onChange={(event) => setSubject(event.target.value)} />
            ),
            { required: true, wide: true },
          )}
          {isEvent ? (
            <>
              <div className="slds-col slds-size_1-of-1">
                <div className="slds-form-element slds-form-element_stacked">
                  <div className="slds-form-element__control">
                    <Checkbox id={`${fieldId}-allday`} label={t("work.activity.allDay")} checked={allDay} onChange={toggleAllDay} />
                  </div>
                </div>
              </div>
              {field(
                "start_time",
                t("work.activity.start"),
                ({ aria }) => (
                  <input
                    {...aria}
                    className="slds-input"
                    type={allDay ? "date" : "datetime-local"}
                    value={start}
                    onChange={(event) => setStart(event.target.value)}
                  />
                ),
                { required: true },
              )}
              {field(
                "end_time",
                t("work.activity.end"),
                ({ aria }) => (
                  <input
                    {...aria}
                    className="slds-input"
                    type={allDay ? "date" : "datetime-local"}
                    value={end}
                    onChange={(event) => setEnd(event.target.value)}
                  />
                ),
                { required: true },
              )}
              {field("location", t("work.activity.location"), ({ aria }) => (
                <input {...aria} className="slds-input" value={location} maxLength={255} onChange={(event) => setLocation(event.target.value)} />
              ))}
            </>
          ) : (
            <>
              {field("due_date", t("work.activity.dueDate"), ({ aria }) => (
                <input {...aria} className="slds-input" type="date" value={dueDate} onChange={(event) => setDueDate(event.target.value)} />
              ))}
              {kind === "call"
                ? null
                : field("status", t("work.activity.status"), ({ aria }) => <Select {...aria} value={status} onChange={setStatus} options={statuses} />)}
              {kind === "call"
                ? null
                : field("priority", t("work.activity.priority"), ({ aria }) => (
                    <Select {...aria} value={priority} onChange={setPriority} options={priorities} />
                  ))}
            </>
          )}
          {field(
            "assigned_to_id",
            t("work.activity.assignedTo"),
            ({ id, invalid, describedBy }) => (
              <LookupInput
                id={id}
                target="user"
                label={t("work.activity.assignedTo")}
                value={assignee.id}
                displayName={assignee.name}
                invalid={invalid}
                describedBy={describedBy}
                onChange={(newId, name) => setAssignee({ id: newId, name })}
              />
            ),
            { required: true },
          )}
          {field("what_id", t("work.activity.relatedTo"), ({ id, invalid, describedBy }) => (
            <RecordSearchLookup
              id={id}
              objects={linkObjects(metaIndex, "what_type")}
              value={what}
              onChange={setWhat}
              placeholder={t("work.activity.searchRecords")}
              describedBy={describedBy}
              invalid={invalid}
            />
          ))}
          {field("who_id", t("work.activity.name"), ({ id, invalid, describedBy }) => (
            <RecordSearchLookup
              id={id}
              objects={linkObjects(metaIndex, "who_type")}
              value={who}
              onChange={setWho}
              placeholder={t("work.activity.searchPeople")}
              describedBy={describedBy}
              invalid={invalid}
            />
          ))}
          {field(
            "description",
            t("work.activity.comments"),
            ({ aria }) => (
              <textarea {...aria} className="slds-textarea" rows={3} value={description} onChange={(event) => setDescription(event.target.value)} />
            ),
            { wide: true },
          )}
        </div>
      </form>
    </Modal>
  );
}
