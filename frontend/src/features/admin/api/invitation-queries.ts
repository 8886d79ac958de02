import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../../lib/api-client";
import type { components } from "../../../lib/api-types";

export type Invitation = components["schemas"]["Invitation"];
export type NewInvitation = components["schemas"]["InvitationCreateRequest"];

export const invitationKeys = {
  pending: () => ["admin", "invitations"] as const,
};

/** The organization's invitations not yet accepted or revoked (expired ones too), newest first. */
export function invitationsQuery() {
  return queryOptions({
    queryKey: invitationKeys.pending(),
    queryFn: ({ signal }) => api.get<Page<Invitation>>("invitations", { page_size: 200 }, signal),
  });
}

export function useInviteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewInvitation) => api.post<Invitation>("invitations", body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: invitationKeys.pending() }),
  });
}

/** Resend (a new link; the old one stops working) or revoke an invitation. */
export function useInvitationAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ invitation, action }: { invitation: Invitation; action: "resend" | "revoke" }) =>
      api.post<Invitation>(`invitations/${invitation.id}/${action}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: invitationKeys.pending() }),
  });
}
