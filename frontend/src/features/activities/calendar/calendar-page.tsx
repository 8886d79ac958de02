import type { DateClickArg } from "@fullcalendar/interaction";
import interactionPlugin from "@fullcalendar/interaction";
import bgLocale from "@fullcalendar/core/locales/bg";
import type { DatesSetArg, EventClickArg, EventDropArg, EventInput } from "@fullcalendar/core";
import type { EventResizeDoneArg } from "@fullcalendar/interaction";
import dayGridPlugin from "@fullcalendar/daygrid";
import FullCalendar from "@fullcalendar/react";
import timeGridPlugin from "@fullcalendar/timegrid";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { PageHeader } from "../../../components/page-header";
import { useToast } from "../../../components/toast";
import { useUpdateRecord } from "../../../records/api/use-update-record";
import { isoDate } from "../../../records/fields/format";
import { useMetaIndex } from "../../../records/metadata/use-object-meta";
import type { ObjectMeta } from "../../../records/metadata/types";
import { ActivityModal, type ActivityDefaults } from "../activity-modal";
import { ACTIVITY_OBJECT, calendarQuery, type Activity } from "../api/activity-queries";

type Range = { start: string; end: string };

const FALLBACK_META = { name: ACTIVITY_OBJECT, api_path: "activities" } as ObjectMeta;

export function toCalendarEvent(activity: Activity): EventInput {
  return {
    id: String(activity.id),
    title: activity.subject,
    start: activity.start_time ?? undefined,
    end: activity.end_time ?? undefined,
    allDay: activity.is_all_day_event,
    extendedProps: { version: activity.version, location: activity.location },
  };
}

/** My events in FullCalendar month/week/day views: click to create, click an event to open it, drag to move. */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const { data: metaIndex } = useMetaIndex();
  const update = useUpdateRecord(metaIndex?.byName.activity ?? FALLBACK_META);
  const [range, setRange] = useState<Range | null>(null);
  const [creating, setCreating] = useState<ActivityDefaults | null>(null);
  const [phone] = useState(() => window.matchMedia?.("(max-width: 48em)").matches ?? false);

  useEffect(() => {
    document.title = `${t("work.calendar.title")} | ${t("app.name")}`;
  }, [t]);

  const events = useQuery({ ...calendarQuery(range?.start ?? "", range?.end ?? ""), enabled: range !== null });

  const onDatesSet = (arg: DatesSetArg) => {
    // FullCalendar's end is exclusive; the API's end_date is the last day included.
    const last = new Date(arg.end);
    last.setDate(last.getDate() - 1);
    const next = { start: isoDate(arg.start), end: isoDate(last) };
    setRange((current) => (current && current.start === next.start && current.end === next.end ? current : next));
  };

  const onDateClick = (arg: DateClickArg) => {
    if (arg.allDay) {
      const start = new Date(arg.date);
      start.setHours(9, 0, 0, 0);
      setCreating({ start, end: new Date(start.getTime() + 60 * 60_000) });
    } else {
      setCreating({ start: arg.date, end: new Date(arg.date.getTime() + 60 * 60_000) });
    }
  };

  const onEventClick = (arg: EventClickArg) => {
    arg.jsEvent.preventDefault();
    navigate(`/o/activity/${arg.event.id}`);
  };

  const move = async (arg: EventDropArg | EventResizeDoneArg) => {
    const { event } = arg;
    const start = event.start;
    let end = event.end;
    if (!start) return arg.revert();
    if (!end) {
      end = new Date(start);
      if (event.allDay) end.setDate(end.getDate() + 1);
      else end.setHours(end.getHours() + 1);
    }
    try {
      await update.mutateAsync({
        id: Number(event.id),
        version: Number(event.extendedProps.version),
        changes: { start_time: start.toISOString(), end_time: end.toISOString(), is_all_day_event: event.allDay },
      });
      toast.show({ variant: "success", message: t("work.calendar.moved", { name: event.title }) });
    } catch {
      // The shared update hook shows the toast (conflict or error) and refetches; put the event back.
      arg.revert();
    }
  };

  return (
    <div className="crm-page">
      <PageHeader
        icon="event"
        meta={t("work.calendar.subtitle")}
        title={t("work.calendar.title")}
        metaText={t("work.calendar.hint")}
        actions={
          <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating({})}>
            {t("work.activity.newEvent")}
          </button>
        }
      />
      <div className="slds-card slds-p-around_small crm-calendar">
        {events.isError ? (
          <p className="slds-text-color_error" role="alert">
            {t("work.calendar.loadFailed")}
          </p>
        ) : null}
        <FullCalendar
          plugins={[dayGridPlugin, timeGridPlugin, interactionPlugin]}
          initialView={phone ? "timeGridDay" : "dayGridMonth"}
          locales={[bgLocale]}
          locale={i18n.language}
          headerToolbar={{ left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay" }}
          buttonText={{ today: t("work.calendar.today"), month: t("work.calendar.month"), week: t("work.calendar.week"), day: t("work.calendar.day") }}
          allDayText={t("work.calendar.allDay")}
          height="auto"
          firstDay={1}
          nowIndicator
          editable
          eventStartEditable
          eventDurationEditable
          dayMaxEvents={4}
          events={(events.data?.results ?? []).map(toCalendarEvent)}
          datesSet={onDatesSet}
          dateClick={onDateClick}
          eventClick={onEventClick}
          eventDrop={(arg) => void move(arg)}
          eventResize={(arg) => void move(arg)}
        />
      </div>
      {creating ? <ActivityModal kind="event" defaults={creating} onClose={() => setCreating(null)} /> : null}
    </div>
  );
}
