"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { httpBatchLink, httpLink, splitLink } from "@trpc/client";
import { useState, type ReactNode } from "react";
import type { Locale } from "~/i18n";
import { I18nProvider } from "~/i18n/react";
import { transformer } from "~/shared/transformer";
import { api } from "~/trpc/react";

const LARGE_INPUT_QUERIES = new Set(["kb.preview"]);

export function Providers({ locale, timeZone, children }: { locale: Locale; timeZone?: string | null; children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: 1 } } }),
  );
  const [trpcClient] = useState(() =>
    api.createClient({
      links: [
        splitLink({
          // Queries whose input can outgrow a URL go alone, as POST (the server allows the override).
          condition: (op) => LARGE_INPUT_QUERIES.has(op.path),
          true: httpLink({ url: "/api/trpc", transformer, methodOverride: "POST" }),
          false: httpBatchLink({ url: "/api/trpc", transformer }),
        }),
      ],
    }),
  );
  return (
    <api.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <I18nProvider locale={locale} timeZone={timeZone}>{children}</I18nProvider>
      </QueryClientProvider>
    </api.Provider>
  );
}
