"use client";
import type { PortalTextPage } from "~/shared/portal-texts";
import { api } from "~/trpc/react";

/** The introduction an admin wrote for this page (/admin/textos-portal), in the reader's language; nothing when there is none. */
export function PortalIntro({ page }: { page: PortalTextPage }) {
  const intro = api.settings.portalIntro.useQuery({ page }, { staleTime: 60_000 });
  if (!intro.data?.html) return null;
  // Markdown rendered and sanitized by the server (kb/markdown.ts renderMarkdown).
  return <div className="portal-intro" data-testid={`portal-intro-${page}`} dangerouslySetInnerHTML={{ __html: intro.data.html }} />;
}
