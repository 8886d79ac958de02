import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useToast } from "../../../components/toast";
import { ApiError, api, type Page } from "../../../lib/api-client";
import type { components } from "../../../lib/api-types";
import type { Stage } from "../../../records/api/stage-queries";

export type AdminUser = {
  id: number;
  name: string;
  email: string;
  role: string;
  is_active: boolean;
  manager_id: number | null;
  version: number;
  last_login: string | null;
};
export type NewUser = { name: string; email: string; role: string };

export const adminKeys = {
  users: () => ["admin", "users"] as const,
  organization: () => ["admin", "organization"] as const,
};

export type OrganizationSettings = components["schemas"]["OrganizationSettings"];

/** The organization's settings, with the version to send back. */
export function organizationQuery() {
  return queryOptions({
    queryKey: adminKeys.organization(),
    queryFn: ({ signal }) => api.get<OrganizationSettings>("organization", undefined, signal),
  });
}

/** Change settings with the version read (409 when another admin saved first). */
export function useSaveOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<OrganizationSettings> & { version: number }) => api.patch<OrganizationSettings>("organization", body),
    onSuccess: (saved) => queryClient.setQueryData(adminKeys.organization(), saved),
  });
}

/** Every user of the organization, by name. */
export function usersQuery() {
  return queryOptions({
    queryKey: adminKeys.users(),
    queryFn: ({ signal }) => api.get<Page<AdminUser>>("admin/users", { ordering: "name", page_size: 200 }, signal),
  });
}

/** Change a user's role or active flag with the version read; errors (a conflict too) show as a toast. */
export function useSaveUser() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: ({ user, changes }: { user: AdminUser; changes: Partial<AdminUser> }) =>
      api.put<AdminUser>(`admin/users/${user.id}`, { ...changes, version: user.version }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
    onError: (error) => {
      const message = error instanceof ApiError && error.isConflict ? t("errors.conflict") : error instanceof ApiError ? error.message : t("errors.generic");
      toast.show({ variant: "error", message });
    },
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) => api.post<AdminUser>("admin/users", body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

/** Replace the whole list of stages (order, names, flags) at the metadata's `stages_path`. */
export function saveStages(path: string, stages: Omit<Stage, "id" | "position">[]) {
  return api.put<Stage[]>(path, stages);
}
