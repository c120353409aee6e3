"use client";
import { useId, useState, type FormEvent } from "react";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime, personName } from "~/components/ui/format";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { API_TOKEN_EXPIRY_DAYS, API_TOKEN_NAME_MAX } from "~/shared/api-tokens";
import type { ApiTokenListItem } from "~/shared/schemas/api-tokens";
import { api } from "~/trpc/react";

type Scope = "READ" | "WRITE";

/**
 * API tokens: an agent's own (/agent/tokens, `admin` false) or every token with service tokens
 * (/admin/api). A new token's secret is shown once, in the page's state only: never fetched again.
 */
export function ApiTokensPanel({ admin }: { admin: boolean }) {
  const { t, locale, timeZone } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const mine = api.apiToken.mine.useQuery(undefined, { enabled: !admin });
  const all = api.apiToken.all.useQuery(undefined, { enabled: admin });
  const tokens = admin ? all : mine;
  const revoke = api.apiToken.revoke.useMutation();
  const [issued, setIssued] = useState<{ name: string; secret: string } | null>(null);
  const [confirming, setConfirming] = useState<ApiTokenListItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const now = Date.now();
  const stateOf = (tk: ApiTokenListItem) => (tk.revokedAt ? "revoked" : tk.expiresAt && new Date(tk.expiresAt).getTime() <= now ? "expired" : "active");
  const when = (d: Date | null, none: string) => (d ? formatDateTime(d, locale, timeZone) : none);

  async function confirmRevoke() {
    if (!confirming) return;
    try {
      await revoke.mutateAsync({ id: confirming.id });
      setNotice(t("apiTokens.revoked", { name: confirming.name }));
      setConfirming(null);
      await utils.apiToken.invalidate();
    } catch {
      setConfirming(null);
    }
  }

  return (
    <div className="stack">
      <h1>{admin ? t("apiTokens.adminTitle") : t("apiTokens.title")}</h1>
      <p className="muted">{admin ? t("apiTokens.adminIntro") : t("apiTokens.intro")}</p>
      <p>
        <a href="/api/docs">{t("apiTokens.docsLink")}</a>
      </p>

      {issued ? (
        <IssuedToken issued={issued} onDone={() => setIssued(null)} />
      ) : (
        <CreateTokenForm
          admin={admin}
          onCreated={async (name, secret) => {
            setNotice(null);
            setIssued({ name, secret });
            await utils.apiToken.invalidate();
          }}
        />
      )}

      <section className="stack" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>{admin ? t("apiTokens.listAll") : t("apiTokens.list")}</h2>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <FormError error={tokens.error ?? revoke.error} />
        {tokens.isSuccess && tokens.data.length === 0 ? (
          <p className="muted">{t("apiTokens.empty")}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby={`${ids}-list`}>
              <thead>
                <tr>
                  <th scope="col">{t("apiTokens.columns.name")}</th>
                  <th scope="col">{t("apiTokens.columns.token")}</th>
                  <th scope="col">{t("apiTokens.columns.scope")}</th>
                  {admin && <th scope="col">{t("apiTokens.columns.user")}</th>}
                  {admin && <th scope="col">{t("apiTokens.columns.kind")}</th>}
                  <th scope="col">{t("apiTokens.columns.created")}</th>
                  <th scope="col">{t("apiTokens.columns.expires")}</th>
                  <th scope="col">{t("apiTokens.columns.lastUsed")}</th>
                  <th scope="col">{t("apiTokens.columns.state")}</th>
                  <th scope="col">{t("apiTokens.columns.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {tokens.data?.map((tk) => {
                  const state = stateOf(tk);
                  return (
                    <tr key={tk.id}>
                      <th scope="row" style={{ overflowWrap: "anywhere" }}>
                        {tk.name}
                      </th>
                      <td>
                        <code>{tk.prefix}…</code>
                      </td>
                      <td>{t(`apiTokens.scopes.${tk.scope}`)}</td>
                      {admin && <td style={{ overflowWrap: "anywhere" }}>{personName(tk.user)}</td>}
                      {admin && <td>{t(`apiTokens.kinds.${tk.kind}`)}</td>}
                      <td>{when(tk.createdAt, "")}</td>
                      <td>{when(tk.expiresAt, t("apiTokens.never"))}</td>
                      <td>{when(tk.lastUsedAt, t("apiTokens.notUsed"))}</td>
                      <td>
                        <span className="badge">{t(`apiTokens.states.${state}`)}</span>
                      </td>
                      <td>
                        {state !== "revoked" && (
                          <button type="button" className="secondary small" aria-label={`${t("apiTokens.revoke")}: ${tk.name}`} onClick={() => (setNotice(null), setConfirming(tk))}>
                            {t("apiTokens.revoke")}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ConfirmDialog
        open={!!confirming}
        message={confirming ? t("apiTokens.revokeConfirm", { name: confirming.name }) : ""}
        confirmLabel={t("apiTokens.revoke")}
        cancelLabel={t("apiTokens.revokeCancel")}
        busy={revoke.isPending}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setConfirming(null)}
      />
    </div>
  );
}

function IssuedToken({ issued, onDone }: { issued: { name: string; secret: string }; onDone: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const [copied, setCopied] = useState(false);
  return (
    <section className="card stack" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("apiTokens.createdTitle", { name: issued.name })}</h2>
      <p role="status">{t("apiTokens.createdHint")}</p>
      <label>
        {t("apiTokens.secretLabel")}
        <input readOnly value={issued.secret} onFocus={(e) => e.currentTarget.select()} style={{ fontFamily: "monospace" }} />
      </label>
      <div className="row">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void navigator.clipboard?.writeText(issued.secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {t("apiTokens.copy")}
        </button>
        <button type="button" onClick={onDone}>
          {t("apiTokens.done")}
        </button>
        {copied && <span role="status">{t("apiTokens.copied")}</span>}
      </div>
    </section>
  );
}

function CreateTokenForm({ admin, onCreated }: { admin: boolean; onCreated: (name: string, secret: string) => Promise<void> }) {
  const { t } = useI18n();
  const ids = useId();
  const hydrated = useHydrated();
  const agents = api.user.agents.useQuery(undefined, { enabled: admin });
  const create = api.apiToken.create.useMutation();
  const createService = api.apiToken.createService.useMutation();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<Scope>("READ");
  const [expiry, setExpiry] = useState<string>("90");
  const [userId, setUserId] = useState("");
  const error = create.error ?? createService.error;
  const pending = create.isPending || createService.isPending;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields = { name, scope, expiresInDays: expiry === "never" ? null : Number(expiry) };
    try {
      const made = admin ? await createService.mutateAsync({ ...fields, userId }) : await create.mutateAsync(fields);
      const saved = name;
      setName("");
      await onCreated(saved, made.secret);
    } catch {
      // shown by FormError
    }
  }

  return (
    <section className="card stack" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{admin ? t("apiTokens.newServiceTitle") : t("apiTokens.newTitle")}</h2>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label>
          {t("apiTokens.name")}
          <input value={name} maxLength={API_TOKEN_NAME_MAX} required aria-describedby={`${ids}-hint`} onChange={(e) => setName(e.target.value)} />
        </label>
        <span id={`${ids}-hint`} className="muted">
          {t("apiTokens.nameHint")}
        </span>
        {admin && (
          <label>
            {t("apiTokens.actsAs")}
            <select value={userId} required onChange={(e) => setUserId(e.target.value)}>
              <option value="" />
              {agents.data?.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name ? `${a.name} (${a.email})` : a.email}
                </option>
              ))}
            </select>
          </label>
        )}
        <fieldset className="row">
          <legend>{t("apiTokens.scope")}</legend>
          {(["READ", "WRITE"] as const).map((s) => (
            <label key={s} className="row" style={{ gap: ".4rem" }}>
              <input type="radio" name={`${ids}-scope`} value={s} checked={scope === s} onChange={() => setScope(s)} />
              {t(`apiTokens.scopes.${s}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t("apiTokens.expiry")}
          <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {API_TOKEN_EXPIRY_DAYS.map((d) => (
              <option key={d} value={String(d)}>
                {t("apiTokens.expiryDays", { days: d })}
              </option>
            ))}
            <option value="never">{t("apiTokens.expiryNever")}</option>
          </select>
        </label>
        <FormError error={error} />
        <div className="row">
          <button type="submit" disabled={!hydrated || pending}>
            {t("apiTokens.create")}
          </button>
        </div>
      </form>
    </section>
  );
}
