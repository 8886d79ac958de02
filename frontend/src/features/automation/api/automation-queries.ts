import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../../lib/api-client";
import type { components } from "../../../lib/api-types";

export type WebForm = components["schemas"]["WebForm"];
export type Webhook = components["schemas"]["Webhook"];
export type WebhookDelivery = components["schemas"]["WebhookDelivery"];
export type Workflow = components["schemas"]["Workflow"];
export type WorkflowRun = components["schemas"]["WorkflowRun"];
export type WorkflowRunDetail = components["schemas"]["WorkflowRunDetail"];
export type EmailTemplate = components["schemas"]["EmailTemplate"];
export type Campaign = components["schemas"]["Campaign"];

/** The lead fields a web form may ask for (the server checks the same list). */
export const FORM_FIELDS = ["first_name", "last_name", "company", "title", "email", "phone", "website", "address", "description", "industry"] as const;
export const LEAD_FIELD_LABELS: Record<string, string> = {
  first_name: "First Name",
  last_name: "Last Name",
  company: "Company",
  title: "Title",
  email: "Email",
  phone: "Phone",
  website: "Website",
  address: "Address",
  description: "Description",
  industry: "Industry",
};
export const REQUIRED_FORM_FIELDS = ["last_name", "company"];
export const LEAD_SOURCES = ["Web", "Referral", "Phone Inquiry", "Partner", "Trade Show", "Social Media", "Advertisement", "Other"];
/** A campaign member's statuses, in the order a member moves through them. */
export const MEMBER_STATUSES = ["Planned", "Sent", "Opened", "Clicked", "Responded", "Bounced", "Unsubscribed"] as const;
export const EVENT_TYPES = ["record.created", "record.updated", "stage.changed", "payment.logged", "form.submitted"] as const;

export const automationKeys = {
  webForms: () => ["automation", "web-forms"] as const,
  webhooks: () => ["automation", "webhooks"] as const,
  deliveries: (id: number) => ["automation", "webhooks", id, "deliveries"] as const,
  workflows: () => ["automation", "workflows"] as const,
  workflow: (id: number) => ["automation", "workflows", id] as const,
  runs: (filters: RunFilters) => ["automation", "runs", filters] as const,
  run: (id: number) => ["automation", "runs", "detail", id] as const,
  emailTemplates: () => ["automation", "email-templates"] as const,
  campaigns: () => ["automation", "campaigns"] as const,
};

export type RunFilters = { workflow?: number; object?: string; record_id?: number };

export const webFormsQuery = () =>
  queryOptions({ queryKey: automationKeys.webForms(), queryFn: ({ signal }) => api.get<Page<WebForm>>("web-forms", { page_size: 100 }, signal) });

export const webhooksQuery = () =>
  queryOptions({ queryKey: automationKeys.webhooks(), queryFn: ({ signal }) => api.get<Page<Webhook>>("webhooks", { page_size: 100 }, signal) });

export const deliveriesQuery = (id: number) =>
  queryOptions({
    queryKey: automationKeys.deliveries(id),
    queryFn: ({ signal }) => api.get<Page<WebhookDelivery>>(`webhooks/${id}/deliveries`, { page_size: 50 }, signal),
    // New events arrive at any time: the log refreshes while it is open.
    refetchInterval: 3000,
  });

/** The active email templates a workflow step may send. */
export const emailTemplatesQuery = () =>
  queryOptions({
    queryKey: automationKeys.emailTemplates(),
    queryFn: ({ signal }) => api.get<Page<EmailTemplate>>("email-templates", { page_size: 100, is_active: "true" }, signal),
  });

/** The active campaigns a workflow step may add a record to. */
export const campaignsQuery = () =>
  queryOptions({
    queryKey: automationKeys.campaigns(),
    queryFn: ({ signal }) => api.get<Page<Campaign>>("campaigns", { page_size: 100, is_active: "true" }, signal),
  });

export const workflowsQuery = () =>
  queryOptions({ queryKey: automationKeys.workflows(), queryFn: ({ signal }) => api.get<Page<Workflow>>("workflows", { page_size: 100 }, signal) });

export const workflowQuery = (id: number) =>
  queryOptions({ queryKey: automationKeys.workflow(id), queryFn: ({ signal }) => api.get<Workflow>(`workflows/${id}`, undefined, signal) });

/** Run history, newest first; refreshed while a run is running. */
export const runsQuery = (filters: RunFilters) =>
  queryOptions({
    queryKey: automationKeys.runs(filters),
    queryFn: ({ signal }) => api.get<Page<WorkflowRun>>("workflow-runs", { ...filters, page_size: 50 }, signal),
    refetchInterval: (query) => (query.state.data?.results.some((run) => run.status === "running") ? 2000 : 5000),
  });

export const runQuery = (id: number) =>
  queryOptions({ queryKey: automationKeys.run(id), queryFn: ({ signal }) => api.get<WorkflowRunDetail>(`workflow-runs/${id}`, undefined, signal) });

type Saved<T> = { id?: number; version?: number } & Partial<T>;

function useSave<T extends { id: number }>(collection: string, key: readonly unknown[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Saved<T>) => {
      const { id, ...rest } = body;
      return id ? api.patch<T>(`${collection}/${id}`, rest) : api.post<T>(collection, rest);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
}

export const useSaveWebForm = () => useSave<WebForm>("web-forms", automationKeys.webForms());
export const useSaveWebhook = () => useSave<Webhook>("webhooks", automationKeys.webhooks());
export const useSaveWorkflow = () => useSave<Workflow>("workflows", automationKeys.workflows());

export function useRunAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ run, action, body }: { run: WorkflowRun; action: "retry" | "replay"; body: Record<string, number> }) =>
      api.post<WorkflowRun>(`workflow-runs/${run.id}/${action}`, body),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ["automation", "runs"] }),
  });
}
