import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../../api";
import { Tabs, type Tab } from "../../components/tabs";
import { InvitationsPanel } from "./invitations";
import { TeamsPanel } from "./teams";
import { UsersPanel } from "./users";

type AdminTab = "users" | "teams" | "invitations" | "clients" | "projects" | "lock";

/**
 * The Admin screen's sections, in order. Clients, projects and the locked period have their
 * tabs already; their panels come with the service's routes for them (API.md part 2).
 */
const TABS: readonly Tab<AdminTab>[] = [
  { key: "users", label: "Users" },
  { key: "teams", label: "Teams" },
  { key: "invitations", label: "Invitations" },
  { key: "clients", label: "Clients" },
  { key: "projects", label: "Projects" },
  { key: "lock", label: "Locked period" },
];

/** What a tab not built yet says instead of its panel. */
const NOT_YET: Partial<Record<AdminTab, string>> = {
  clients: "Clients will be managed here: the service does not have them yet.",
  projects: "Projects and their rates will be managed here: the service does not have them yet.",
  lock: "The locked period (no member edits before a date) will be set here: the service does not have it yet.",
};

/** Admin (owners and admins): users and their roles and rates, teams, invitations; more to come. */
export function AdminScreen(props: { me: Me; onSelfChanged: () => void }): JSX.Element {
  const [tab, setTab] = useState<AdminTab>("users");

  useEffect(() => {
    document.title = "Admin — Time Tracker";
  }, []);

  return (
    <section aria-labelledby="admin-heading" class="screen">
      <h1 id="admin-heading">Admin</h1>
      <Tabs label="Admin sections" idPrefix="admin" tabs={TABS} selected={tab} onSelect={setTab}>
        {tab === "users" && <UsersPanel me={props.me} onSelfChanged={props.onSelfChanged} />}
        {tab === "teams" && <TeamsPanel />}
        {tab === "invitations" && <InvitationsPanel />}
        {NOT_YET[tab] && <p class="muted">{NOT_YET[tab]}</p>}
      </Tabs>
    </section>
  );
}
