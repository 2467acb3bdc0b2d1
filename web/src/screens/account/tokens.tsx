import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type ApiToken, type TokenScope } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { submitTo } from "../../components/form-actions";
import { ListTable } from "../../components/list-table";
import { ShownOnce } from "../../components/shown-once";
import { TextField } from "../../components/text-field";
import { useAction } from "../../components/use-action";
import { DEFAULT_TOKEN_EXPIRY, expiryDays, SCOPE_LABEL, TOKEN_EXPIRY } from "../../lib/account";
import { whenText } from "../../lib/format";

/**
 * API tokens for scripts and integrations: make one (name, scope, lifetime; the secret shown
 * once), list them with when they were last used, revoke one after a dialog.
 */
export function TokensPanel(): JSX.Element {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [name, setName] = useState("");
  const [scope, setScope] = useState<TokenScope>("read");
  const [expiry, setExpiry] = useState(DEFAULT_TOKEN_EXPIRY);
  const [created, setCreated] = useState<{ token: ApiToken; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const action = useAction();

  useEffect(() => void action.run(async () => setTokens(await api.apiTokens())), []);

  const create = () =>
    action.run(async () => {
      setCreated(await api.createApiToken(name.trim(), scope, expiryDays(expiry)));
      setName("");
      setTokens(await api.apiTokens());
    });

  async function revoke(token: ApiToken): Promise<void> {
    await api.deleteApiToken(token.id);
    if (created?.token.id === token.id) setCreated(null);
    setTokens((shown) => (shown ?? []).filter((t) => t.id !== token.id));
    setRevoking(null);
  }

  return (
    <>
      <h2>API tokens</h2>
      <p class="hint">
        A token lets a script or an integration use the API as you: send it as <code>Authorization: Bearer …</code>. Read only tokens
        can only look; none can change your password, tokens or webhooks.
      </p>
      <form class="filters card" aria-label="New API token" onSubmit={submitTo(create)}>
        <TextField id="token-name" fieldClass="grow" label="Name" required maxLength={100} value={name} onValue={setName} />
        <div class="field">
          <label for="token-scope">Scope</label>
          <select id="token-scope" value={scope} onChange={(e) => setScope(e.currentTarget.value as TokenScope)}>
            <option value="read">{SCOPE_LABEL.read}</option>
            <option value="write">{SCOPE_LABEL.write}</option>
          </select>
        </div>
        <div class="field">
          <label for="token-expiry">Expires after</label>
          <select id="token-expiry" value={expiry} onChange={(e) => setExpiry(e.currentTarget.value)}>
            {TOKEN_EXPIRY.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <button type="submit" disabled={action.busy}>
            Create token
          </button>
        </div>
      </form>
      <ErrorAlert error={action.error} />
      {created && (
        <ShownOnce
          id="new-token"
          heading={`New token: ${created.token.name}`}
          label="Token secret"
          value={created.secret}
          copyLabel="Copy token"
          onDone={() => setCreated(null)}
          hint={
            <>
              Copy it now: it will not be shown again (the service keeps only its hash). {SCOPE_LABEL[created.token.scope]},{" "}
              {created.token.expires_at ? `valid until ${whenText(created.token.expires_at)}` : "never expires"}.
            </>
          }
        />
      )}
      <ListTable
        rows={tokens}
        empty="No API tokens."
        caption="Your API tokens"
        showCaption
        wide
        columns={[{ label: "Name" }, { label: "Scope" }, { label: "Created" }, { label: "Expires" }, { label: "Last used" }]}
        row={(token) => (
          <tr key={token.id}>
            <th scope="row">{token.name}</th>
            <td>{SCOPE_LABEL[token.scope]}</td>
            <td>{whenText(token.created_at)}</td>
            <td>{whenText(token.expires_at, "Never")}</td>
            <td>{whenText(token.last_used_at, "Never used")}</td>
            <td class="row-actions">
              <button type="button" class="secondary small" aria-label={`Revoke ${token.name}`} onClick={() => setRevoking(token)}>
                Revoke
              </button>
            </td>
          </tr>
        )}
      />
      {revoking && (
        <ConfirmDialog title={`Revoke ${revoking.name}?`} confirmLabel="Revoke token" onConfirm={() => revoke(revoking)} onClose={() => setRevoking(null)}>
          <p>Whatever uses this token stops working at once. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
