import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useToast } from "../../components/toast";
import { ApiError, errorText } from "../../lib/api-client";
import { recordKeys } from "../../records/api/record-queries";
import { fetchStagePage, isBoardKey, moveOpportunity, pipelineBoardQuery, type PipelineColumn } from "./api/pipeline-queries";

function money(value: string | number | null | undefined): number {
  const number = Number(value ?? 0);
  return Number.isFinite(number) ? number : 0;
}

/** The columns after moving one card to the top of another stage, with counts and sums adjusted. */
export function moveCard(columns: PipelineColumn[], cardId: number, toStage: string): PipelineColumn[] {
  const source = columns.find((column) => column.opportunities.some((card) => card.id === cardId));
  if (!source || source.name === toStage || !columns.some((column) => column.name === toStage)) return columns;
  const card = source.opportunities.find((item) => item.id === cardId)!;
  const amount = money(card.amount);
  return columns.map((column) => {
    if (column.name === source.name) {
      return {
        ...column,
        count: column.count - 1,
        amount: (money(column.amount) - amount).toFixed(2),
        opportunities: column.opportunities.filter((item) => item.id !== cardId),
      };
    }
    if (column.name === toStage) {
      return { ...column, count: column.count + 1, amount: (money(column.amount) + amount).toFixed(2), opportunities: [card, ...column.opportunities] };
    }
    return column;
  });
}

/** Pipeline columns with optimistic moves (rolled back on error) and per-column "load more". */
export function usePipelineBoard() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const query = useQuery(pipelineBoardQuery());
  const [columns, setColumns] = useState<PipelineColumn[]>([]);
  const [loadingStage, setLoadingStage] = useState<string | null>(null);
  const columnsRef = useRef(columns);
  columnsRef.current = columns;

  useEffect(() => {
    if (query.data) setColumns(query.data.stages);
  }, [query.data]);

  const move = useCallback(
    async (cardId: number, toStage: string) => {
      const before = columnsRef.current;
      const source = before.find((column) => column.opportunities.some((card) => card.id === cardId));
      const card = source?.opportunities.find((item) => item.id === cardId);
      if (!source || !card || source.name === toStage) return;
      setColumns(moveCard(before, cardId, toStage));
      try {
        const saved = await moveOpportunity(cardId, toStage, card.version);
        setColumns((current) =>
          current.map((column) => ({
            ...column,
            opportunities: column.opportunities.map((item) =>
              item.id === cardId ? { ...item, version: saved.version, amount: (saved.amount as string | null) ?? item.amount } : item,
            ),
          })),
        );
        // Everything else showing opportunities refetches; the board keeps its own (optimistic) columns.
        void queryClient.invalidateQueries({ queryKey: recordKeys.all("opportunity"), predicate: (item) => !isBoardKey(item.queryKey) });
        toast.show({ variant: "success", message: t("sales.kanban.moved", { name: card.name, stage: toStage }) });
      } catch (error) {
        // Put the card back where it was, with the column totals it had.
        setColumns((current) => {
          const restored = moveCard(current, cardId, source.name);
          const index = source.opportunities.findIndex((item) => item.id === cardId);
          return restored.map((column) => {
            if (column.name !== source.name) return column;
            const others = column.opportunities.filter((item) => item.id !== cardId);
            others.splice(index, 0, card);
            return { ...column, opportunities: others };
          });
        });
        toast.show({
          variant: "error",
          message: t("sales.kanban.moveFailed", { name: card.name, message: errorText(error, t("errors.generic")) }),
        });
        if (error instanceof ApiError && error.status === 409) void query.refetch();
      }
    },
    [queryClient, toast, t, query],
  );

  const loadMore = useCallback(
    async (stage: string) => {
      const column = columnsRef.current.find((item) => item.name === stage);
      if (!column) return;
      setLoadingStage(stage);
      try {
        const more = await fetchStagePage(stage, column.opportunities.length);
        setColumns((current) =>
          current.map((item) => {
            if (item.name !== stage) return item;
            const seen = new Set(item.opportunities.map((card) => card.id));
            return { ...item, opportunities: [...item.opportunities, ...more.filter((card) => !seen.has(card.id))] };
          }),
        );
      } catch (error) {
        toast.show({ variant: "error", message: errorText(error, t("errors.loadFailed")) });
      } finally {
        setLoadingStage(null);
      }
    },
    [toast, t],
  );

  return { columns, isLoading: query.isLoading, isError: query.isError, move, loadMore, loadingStage };
}
