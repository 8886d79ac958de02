import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import type { components } from "../../../lib/api-types";

type Schemas = components["schemas"];
export type EmailTemplate = Schemas["EmailTemplate"];
export type EmailTemplateVersion = Schemas["EmailTemplateVersion"];
export type Rendered = Schemas["Rendered"];
export type Segment = Schemas["Segment"];
export type SegmentTarget = Schemas["TargetEnum"];
export type SegmentFields = Schemas["SegmentFields"];
export type SegmentResult = Schemas["SegmentResult"];
export type EmailSend = Schemas["EmailCampaign"];
export type EmailStats = Schemas["EmailStats"];
export type RecipientPage = Schemas["RecipientPage"];
export type RecipientStatus = Schemas["RecipientStatusEnum"];
export type CampaignRoi = Schemas["CampaignRoi"];
export type CampaignFigures = Schemas["Figures"];
export type CampaignMember = Schemas["Member"];
export type MemberStatus = Schemas["Status394Enum"];

export const RECIPIENT_STATUSES: RecipientStatus[] = [
  "queued",
  "sending",
  "sent",
  "opened",
  "clicked",
  "bounced",
  "unsubscribed",
  "failed",
  "unknown",
  "suppressed",
];
export const MEMBER_STATUSES: MemberStatus[] = ["Planned", "Sent", "Opened", "Clicked", "Responded", "Bounced", "Unsubscribed"];
/** A send's statuses in which it is still moving (the page polls its progress). */
export const LIVE_SEND_STATUSES = ["sending", "scheduled"];

export const marketingKeys = {
  template: (id: number) => ["email_template", String(id)] as const,
  versions: (id: number) => ["email_template", String(id), "versions"] as const,
  segment: (id: number) => ["segment", String(id)] as const,
  segmentFields: () => ["segment", "fields"] as const,
  evaluate: (target: string, definition: unknown) => ["segment", "evaluate", target, JSON.stringify(definition)] as const,
  send: (id: number) => ["email_campaign", String(id)] as const,
  stats: (id: number) => ["email_campaign", String(id), "stats"] as const,
  recipients: (id: number, page: number, status: string) => ["email_campaign", String(id), "recipients", page, status] as const,
};

export const templateQuery = (id: number) =>
  queryOptions({ queryKey: marketingKeys.template(id), queryFn: ({ signal }) => api.get<EmailTemplate>(`email-templates/${id}`, undefined, signal) });

export const versionsQuery = (id: number) =>
  queryOptions({
    queryKey: marketingKeys.versions(id),
    queryFn: ({ signal }) => api.get<EmailTemplateVersion[]>(`email-templates/${id}/versions`, undefined, signal),
  });

export const segmentQuery = (id: number) =>
  queryOptions({ queryKey: marketingKeys.segment(id), queryFn: ({ signal }) => api.get<Segment>(`segments/${id}`, undefined, signal) });

export const segmentFieldsQuery = () =>
  queryOptions({
    queryKey: marketingKeys.segmentFields(),
    queryFn: ({ signal }) => api.get<SegmentFields>("segments/fields", undefined, signal),
    staleTime: Infinity,
  });

/** The live count and first rows of a definition, saved or not. */
export const evaluateQuery = (target: SegmentTarget, definition: unknown) =>
  queryOptions({
    queryKey: marketingKeys.evaluate(target, definition),
    queryFn: () => api.post<SegmentResult>("segments/evaluate", { target, definition }),
    placeholderData: keepPreviousData,
    retry: false,
  });

export const sendQuery = (id: number) =>
  queryOptions({
    queryKey: marketingKeys.send(id),
    queryFn: ({ signal }) => api.get<EmailSend>(`email-campaigns/${id}`, undefined, signal),
    refetchInterval: (query) => (LIVE_SEND_STATUSES.includes(query.state.data?.status ?? "") ? 3000 : false),
  });

export const statsQuery = (id: number, live: boolean) =>
  queryOptions({
    queryKey: marketingKeys.stats(id),
    queryFn: ({ signal }) => api.get<EmailStats>(`email-campaigns/${id}/stats`, undefined, signal),
    refetchInterval: live ? 3000 : false,
  });

/** Every send of a campaign together. */
export const campaignStatsQuery = (campaignId: number) =>
  queryOptions({
    queryKey: ["campaign", String(campaignId), "email-stats"] as const,
    queryFn: ({ signal }) => api.get<EmailStats>(`campaigns/${campaignId}/email-stats`, undefined, signal),
  });

export const RECIPIENTS_PAGE_SIZE = 25;

export const recipientsQuery = (id: number, page: number, status: string, live: boolean) =>
  queryOptions({
    queryKey: marketingKeys.recipients(id, page, status),
    queryFn: ({ signal }) => api.get<RecipientPage>(`email-campaigns/${id}/recipients`, { page, page_size: RECIPIENTS_PAGE_SIZE, status }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 3000 : false,
  });
