import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import type { components } from "../../../lib/api-types";
import type { SessionUser } from "../../../lib/session";

export type InvitationCheck = components["schemas"]["InvitationCheck"];

/** What an invitation link names, and whether it still works (public: no session needed). */
export function invitationCheckQuery(token: string) {
  return queryOptions({
    queryKey: ["invitation-check", token] as const,
    queryFn: ({ signal }) => api.get<InvitationCheck>("invitations/check", { token }, signal),
    retry: false,
    staleTime: Infinity,
  });
}

/** Accept: creates the user and signs them in (the session cookie), answering like sign-in. */
export function acceptInvitation(body: { token: string; name: string; password: string }) {
  return api.post<{ user: SessionUser }>("invitations/accept", body);
}
