"use client";
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import { useEffect, useRef } from "react";

/**
 * Scalar's light theme with its greys and method colours darkened to at least 4.5:1 on its
 * backgrounds (#fff, #f6f6f6, #e7e7e7): its own #8e8e8e placeholder and "No authentication
 * selected", and the 10 px GET/POST/PATCH badges in green #069061 and yellow #edbe20, failed WCAG AA.
 * The site has no dark theme, so the reference stays light (its toggle hidden).
 */
const CONTRAST_CSS = `
.light-mode {
  --scalar-color-2: #4f4f4f;
  --scalar-color-3: #616161;
  --scalar-color-accent: #0069b3;
  --scalar-color-green: #00704a;
  --scalar-color-yellow: #7a5a00;
  --scalar-color-orange: #b33d00;
  --scalar-color-red: #c40005;
  --scalar-color-blue: #00609f;
  --scalar-color-query: #006a6e;
}
/* The server's URL and a card header scroll sideways in Scalar's markup with nothing focusable to
   scroll them by keyboard; they wrap instead. */
.scalar-app .scalar-card-header, .scalar-app .overflow-x-auto { overflow: visible; overflow-wrap: anywhere; }
`;

/**
 * Scalar's reference, configured for a closed network and this site's CSP: no fonts, telemetry,
 * AI agent or proxy from elsewhere, no "try it" client (its requests would go through Scalar's proxy).
 */
export function ApiReference() {
  const box = useRef<HTMLDivElement>(null);
  // Scalar draws its content in a <main> of its own, inside the site's <main>: one page, one main
  // landmark. Its element becomes a labelled region (its aria-label kept), whenever Scalar draws it.
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    const demote = () => root.querySelectorAll("main:not([role])").forEach((m) => m.setAttribute("role", "region"));
    demote();
    const observer = new MutationObserver(demote);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box}>
      <ApiReferenceReact
        configuration={{
          url: "/api/v1/openapi.json",
          withDefaultFonts: false,
          telemetry: false,
          agent: { disabled: true },
          hideClientButton: true,
          showDeveloperTools: "never",
          hideDownloadButton: false,
          forceDarkModeState: "light",
          hideDarkModeToggle: true,
          customCss: CONTRAST_CSS,
          layout: "modern",
        }}
      />
    </div>
  );
}
