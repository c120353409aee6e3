import { ApiTokensPanel } from "~/components/api-tokens/ApiTokensPanel";

/** Admin: every API token, service tokens acting as a chosen staff account, revocation. */
export default function AdminApiPage() {
  return <ApiTokensPanel admin />;
}
