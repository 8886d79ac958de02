import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, apiUpload, type Page } from "../../../lib/api-client";
import type { components } from "../../../lib/api-types";

export type ReminderLevel = components["schemas"]["ReminderLevel"];
export type Reminder = components["schemas"]["Reminder"];
export type CollectionSettings = components["schemas"]["CollectionSettings"] & { statutory_rate?: string };
export type ReminderStatus = {
  paused: boolean;
  account_no_reminders: boolean;
  reminders_sent: number;
  next_level: { id: number; name: string; days_after_due: number } | null;
};
export type BankStatement = components["schemas"]["BankStatement"];
export type Allocation = { invoice_id: number; number: string; account_name: string; balance: string; amount: string };
export type Suggestion = { confidence: number; reason: string; allocations: Allocation[] };
export type BankMatch = { id: number; invoice_id: number; invoice_number: string; invoice_status: string; amount: string };
export type BankTransaction = Omit<components["schemas"]["BankTransaction"], "suggestions" | "matches"> & {
  suggestions: Suggestion[];
  matches: BankMatch[];
};

export const collectionKeys = {
  all: ["collections"] as const,
  levels: () => ["collections", "levels"] as const,
  settings: () => ["collections", "settings"] as const,
  reminders: (filter: Record<string, number>) => ["collections", "reminders", filter] as const,
  status: (invoiceId: number) => ["collections", "status", invoiceId] as const,
  noReminders: (accountId: number) => ["collections", "no-reminders", accountId] as const,
  statements: () => ["collections", "statements"] as const,
  transactions: (status: string) => ["collections", "transactions", status] as const,
};

export const levelsQuery = () =>
  queryOptions({ queryKey: collectionKeys.levels(), queryFn: ({ signal }) => api.get<ReminderLevel[]>("reminder-levels", undefined, signal) });

export const settingsQuery = () =>
  queryOptions({ queryKey: collectionKeys.settings(), queryFn: ({ signal }) => api.get<CollectionSettings>("collection-settings", undefined, signal) });

export const remindersQuery = (filter: Record<string, number>) =>
  queryOptions({
    queryKey: collectionKeys.reminders(filter),
    queryFn: ({ signal }) => api.get<Page<Reminder>>("reminders", { ...filter, page_size: 50 }, signal),
  });

export const reminderStatusQuery = (invoiceId: number) =>
  queryOptions({
    queryKey: collectionKeys.status(invoiceId),
    queryFn: ({ signal }) => api.get<ReminderStatus>(`invoices/${invoiceId}/reminder-status`, undefined, signal),
  });

export const noRemindersQuery = (accountId: number) =>
  queryOptions({
    queryKey: collectionKeys.noReminders(accountId),
    queryFn: ({ signal }) => api.get<{ no_reminders: boolean }>(`accounts/${accountId}/no-reminders`, undefined, signal),
  });

export const statementsQuery = () =>
  queryOptions({
    queryKey: collectionKeys.statements(),
    queryFn: ({ signal }) => api.get<Page<BankStatement>>("bank-statements", { page_size: 20 }, signal),
    // While a statement is matching, its progress is read again every two seconds.
    refetchInterval: (query) => (query.state.data?.results.some((row) => row.status === "Matching") ? 2000 : false),
  });

export const transactionsQuery = (status: string) =>
  queryOptions({
    queryKey: collectionKeys.transactions(status),
    queryFn: ({ signal }) => api.get<Page<BankTransaction>>("bank-transactions", { status, page_size: 100 }, signal),
  });

/** Any collections mutation: refetch what collections shows afterwards. */
export function useCollectionsMutation<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: collectionKeys.all });
      for (const object of ["invoice", "account", "activity", "payment", "order"]) void queryClient.invalidateQueries({ queryKey: [object] });
    },
  });
}

export const uploadStatement = (form: FormData) => apiUpload<BankStatement>("bank-statements", form);
