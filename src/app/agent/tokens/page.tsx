import { ApiTokensPanel } from "~/components/api-tokens/ApiTokensPanel";

/** An agent's (or admin's) own API tokens: make one, see it once, revoke it. */
export default function AgentTokensPage() {
  return <ApiTokensPanel admin={false} />;
}
