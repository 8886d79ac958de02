import { useQuery } from "@tanstack/react-query";
import { ApiError, api } from "../../lib/api-client";

export type Plan = {
  code: string;
  name: string;
  seats: number | null;
  record_limit: number | null;
  features: string[];
  monthly_price: string;
  purchasable: boolean;
};

export type SubscriptionState = {
  plan: Plan;
  status: "active" | "trialing" | "past_due" | "canceled";
  current_period_end: string | null;
  has_billing_account: boolean;
  seats: { used: number; limit: number | null };
  records: { object: string; label: string; count: number; limit: number | null }[];
  plans: Plan[];
};

/** The public plans; a 404 means SaaS mode is off (then `data` is null). */
export function useSaasPlans() {
  return useQuery({
    queryKey: ["saas", "plans"],
    queryFn: async () => {
      try {
        return await api.get<Plan[]>("saas/plans");
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    staleTime: 5 * 60 * 1000,
    retry: false,
  });
}

export function useSubscription() {
  return useQuery({ queryKey: ["saas", "subscription"], queryFn: () => api.get<SubscriptionState>("saas/subscription") });
}
