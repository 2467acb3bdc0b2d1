import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../../api";
import { Tabs, type Tab } from "../../components/tabs";
import { ExportDeletePanel } from "./export-delete";
import { PasswordPanel } from "./password";
import { SessionsPanel } from "./sessions";
import { TokensPanel } from "./tokens";
import { TwoFactorPanel } from "./two-factor";
import { WebhooksPanel } from "./webhooks";

type AccountTab = "password" | "sessions" | "tokens" | "webhooks" | "two-factor" | "data";

/** The Account screen's sections, in order. */
const TABS: readonly Tab<AccountTab>[] = [
  { key: "password", label: "Password" },
  { key: "sessions", label: "Sessions" },
  { key: "tokens", label: "API tokens" },
  { key: "webhooks", label: "Webhooks" },
  { key: "two-factor", label: "Two-factor login" },
  { key: "data", label: "Export and delete" },
];

/**
 * Account (everyone, for themselves): the password, the sessions signed in, API tokens and
 * webhooks for scripts and integrations, two-factor login, and the account's data and deletion.
 */
export function AccountScreen(props: { me: Me; onSelfChanged: () => void; onDeleted: () => void }): JSX.Element {
  const [tab, setTab] = useState<AccountTab>("password");

  useEffect(() => {
    document.title = "Account — Time Tracker";
  }, []);

  return (
    <section aria-labelledby="account-heading" class="screen">
      <h1 id="account-heading">Account</h1>
      <p class="muted">
        Signed in as <strong>{props.me.username}</strong>.
      </p>
      <Tabs label="Account sections" idPrefix="account" tabs={TABS} selected={tab} onSelect={setTab}>
        {tab === "password" && <PasswordPanel />}
        {tab === "sessions" && <SessionsPanel />}
        {tab === "tokens" && <TokensPanel />}
        {tab === "webhooks" && <WebhooksPanel me={props.me} />}
        {tab === "two-factor" && <TwoFactorPanel me={props.me} onChanged={props.onSelfChanged} />}
        {tab === "data" && <ExportDeletePanel me={props.me} onDeleted={props.onDeleted} />}
      </Tabs>
    </section>
  );
}
