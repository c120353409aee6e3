"use client";
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/**
 * Scalar's reference, configured for a closed network and this site's CSP: no fonts, telemetry or
 * proxy from elsewhere, no "try it" client (its requests would go through Scalar's proxy).
 */
export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/v1/openapi.json",
        withDefaultFonts: false,
        telemetry: false,
        hideClientButton: true,
        showDeveloperTools: "never",
        hideDownloadButton: false,
        layout: "modern",
      }}
    />
  );
}
