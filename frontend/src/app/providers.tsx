import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { onUnauthorized } from "../lib/api-client";
import { i18next } from "../lib/i18n";
import { sessionQuery } from "../lib/session";

export type ProvidersProps = { queryClient: QueryClient; children: ReactNode };

export function Providers({ queryClient, children }: ProvidersProps) {
  useEffect(() => {
    onUnauthorized(() => queryClient.setQueryData(sessionQuery.queryKey, null));
    const setLang = (language: string) => {
      document.documentElement.lang = language;
    };
    setLang(i18next.language);
    i18next.on("languageChanged", setLang);
    return () => {
      onUnauthorized(null);
      i18next.off("languageChanged", setLang);
    };
  }, [queryClient]);
  return (
    <I18nextProvider i18n={i18next}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </I18nextProvider>
  );
}
