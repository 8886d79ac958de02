import {
  DndContext,
  DragOverlay,
  KeyboardCode,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
} from "@dnd-kit/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatCurrency, formatDate, formatNumber } from "../../records/fields/format";
import { useCurrency } from "../../lib/session";
import type { PipelineCard, PipelineColumn } from "./api/pipeline-queries";

export type KanbanBoardProps = {
  columns: PipelineColumn[];
  onMove: (cardId: number, toStage: string) => void;
  onLoadMore: (stage: string) => void;
  loadingStage?: string | null;
};

const collisions: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length ? hits : rectIntersection(args);
};

/** Arrow left/right jump to the neighbouring column; up/down nudge within it. */
const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const { droppableRects, over, collisionRect } = context;
  if (event.code === KeyboardCode.Left || event.code === KeyboardCode.Right) {
    event.preventDefault();
    const rects = [...droppableRects.entries()].sort(([, a], [, b]) => a.left - b.left);
    const currentId = over?.id ?? rects.find(([, rect]) => currentCoordinates.x >= rect.left && currentCoordinates.x <= rect.right)?.[0];
    const index = rects.findIndex(([id]) => id === currentId);
    const next = rects[index + (event.code === KeyboardCode.Right ? 1 : -1)];
    if (!next) return currentCoordinates;
    const [, rect] = next;
    const width = collisionRect?.width ?? 0;
    return { x: rect.left + Math.max(0, (rect.width - width) / 2), y: Math.max(currentCoordinates.y, rect.top + 8) };
  }
  if (event.code === KeyboardCode.Down || event.code === KeyboardCode.Up) {
    event.preventDefault();
    return { ...currentCoordinates, y: currentCoordinates.y + (event.code === KeyboardCode.Down ? 40 : -40) };
  }
  return undefined;
};

/** Opportunity pipeline: one column per stage, cards dragged between stages with mouse, touch or keyboard. */
export function KanbanBoard({ columns, onMove, onLoadMore, loadingStage }: KanbanBoardProps) {
  const { t } = useTranslation();
  const [active, setActive] = useState<PipelineCard | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );
  const cardName = (id: string | number) => {
    for (const column of columns) {
      const card = column.opportunities.find((item) => `card-${item.id}` === id);
      if (card) return card.name;
    }
    return "";
  };
  const stageName = (id: string | number | undefined) => String(id ?? "").replace(/^stage-/, "");

  const onDragEnd = (event: DragEndEvent) => {
    setActive(null);
    const card = event.active.data.current as PipelineCard | undefined;
    if (!card || !event.over) return;
    onMove(card.id, stageName(event.over.id));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisions}
      onDragStart={(event) => setActive((event.active.data.current as PipelineCard) ?? null)}
      onDragCancel={() => setActive(null)}
      onDragEnd={onDragEnd}
      accessibility={{
        screenReaderInstructions: { draggable: t("sales.kanban.instructions") },
        announcements: {
          onDragStart: ({ active: item }) => t("sales.kanban.pickedUp", { name: cardName(item.id) }),
          onDragOver: ({ active: item, over }) => (over ? t("sales.kanban.over", { name: cardName(item.id), stage: stageName(over.id) }) : undefined),
          onDragEnd: ({ active: item, over }) => (over ? t("sales.kanban.dropped", { name: cardName(item.id), stage: stageName(over.id) }) : undefined),
          onDragCancel: ({ active: item }) => t("sales.kanban.cancelled", { name: cardName(item.id) }),
        },
      }}
    >
      <div className="crm-kanban" role="list" aria-label={t("sales.kanban.title")}>
        {columns.map((column) => (
          <KanbanColumn key={column.name} column={column} onLoadMore={onLoadMore} loading={loadingStage === column.name} />
        ))}
      </div>
      <DragOverlay dropAnimation={null}>{active ? <CardBody card={active} dragging /> : null}</DragOverlay>
    </DndContext>
  );
}

export type KanbanColumnProps = { column: PipelineColumn; onLoadMore: (stage: string) => void; loading: boolean };

export function KanbanColumn({ column, onLoadMore, loading }: KanbanColumnProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const { setNodeRef, isOver } = useDroppable({ id: `stage-${column.name}` });
  const headingId = `kanban-${column.name.replace(/\W+/g, "-")}`;
  const label = t(`options.${column.name}`, { ns: "meta", defaultValue: column.name, nsSeparator: false });
  return (
    <section
      ref={setNodeRef}
      role="listitem"
      aria-labelledby={headingId}
      className={`crm-kanban__column${isOver ? " crm-kanban__column_over" : ""}${column.is_won ? " crm-kanban__column_won" : ""}`}
    >
      <header className="crm-kanban__header">
        <h2 id={headingId} className="slds-text-heading_small slds-truncate" title={label}>
          {label}
        </h2>
        <p className="slds-text-body_small slds-text-color_weak">
          <span>{t("sales.kanban.columnCount", { count: column.count, total: formatNumber(column.count, i18n.language) })}</span>
          {" · "}
          <span className="crm-kanban__sum">{formatCurrency(column.amount, i18n.language, currency)}</span>
        </p>
      </header>
      <ul className="crm-kanban__cards" aria-label={label}>
        {column.opportunities.map((card) => (
          <KanbanCard key={card.id} card={card} />
        ))}
        {column.opportunities.length === 0 ? <li className="crm-kanban__empty slds-text-color_weak">{t("sales.kanban.empty")}</li> : null}
      </ul>
      {column.opportunities.length < column.count ? (
        <div className="slds-p-horizontal_x-small slds-p-bottom_x-small">
          <button type="button" className="slds-button slds-button_neutral slds-button_stretch" disabled={loading} onClick={() => onLoadMore(column.name)}>
            {loading ? t("common.loading") : t("sales.kanban.loadMore")}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function KanbanCard({ card }: { card: PipelineCard }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `card-${card.id}`, data: card });
  return (
    <li ref={setNodeRef} {...attributes} {...listeners} className={`crm-kanban__card-slot${isDragging ? " crm-kanban__card-slot_dragging" : ""}`}>
      <CardBody card={card} />
    </li>
  );
}

function CardBody({ card, dragging }: { card: PipelineCard; dragging?: boolean }) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  return (
    <article className={`slds-card crm-kanban__card${dragging ? " crm-kanban__card_overlay" : ""}`} data-testid={`kanban-card-${card.id}`}>
      <div className="slds-p-around_small">
        <h3 className="slds-text-heading_small slds-truncate" title={card.name}>
          <Link to={`/o/opportunity/${card.id}`} onPointerDown={(event) => event.stopPropagation()}>
            {card.name}
          </Link>
        </h3>
        <p className="slds-truncate slds-text-body_small" title={card.account_name ?? undefined}>
          {card.account_name ?? t("sales.kanban.noAccount")}
        </p>
        <p className="slds-grid slds-grid_align-spread slds-text-body_small slds-m-top_xx-small">
          <span className="crm-kanban__amount">{formatCurrency(card.amount ?? 0, i18n.language, currency)}</span>
          {card.close_date ? (
            <span className="slds-text-color_weak">{t("sales.kanban.closeDate", { date: formatDate(card.close_date, i18n.language) })}</span>
          ) : null}
        </p>
      </div>
    </article>
  );
}
