import { queryOptions, useQuery } from "@tanstack/react-query";
import { ApiError, api } from "./api-client";

export type SessionUser = {
  id: number;
  name: string;
  email: string;
  role: string;
  is_admin: boolean;
  language: string;
  time_zone?: string;
  effective_time_zone?: string;
  version?: number;
  organization: { id: number; name: string; currency: string };
};

export const sessionQuery = queryOptions({
  queryKey: ["auth", "me"],
  queryFn: async (): Promise<SessionUser | null> => {
    try {
      return await api.get<SessionUser>("auth/me");
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
      throw error;
    }
  },
  staleTime: 5 * 60_000,
});

export function useSession() {
  return useQuery(sessionQuery);
}

export function useCurrency(): string {
  return useSession().data?.organization.currency ?? "EUR";
}
