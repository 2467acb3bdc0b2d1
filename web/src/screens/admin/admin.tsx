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
 * tabs already; their panels are still to be built (the service has their routes).
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
  clients: "Not in the web app yet: for now, manage clients through the API (POST /clients, PATCH /clients/{id}).",
  projects: "Not in the web app yet: for now, manage projects and their rates through the API (POST /projects, PATCH /projects/{id}).",
  lock: "Not in the web app yet: for now, set the locked period through the API (PATCH /settings with lock_before).",
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
