import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../../api";
import { Tabs, type Tab } from "../../components/tabs";
import { ClientsPanel } from "./clients";
import { InvitationsPanel } from "./invitations";
import { LockPanel } from "./lock";
import { ProjectsPanel } from "./projects";
import { TeamsPanel } from "./teams";
import { UsersPanel } from "./users";

type AdminTab = "users" | "teams" | "invitations" | "clients" | "projects" | "lock";

/** The Admin screen's sections, in order. */
const TABS: readonly Tab<AdminTab>[] = [
  { key: "users", label: "Users" },
  { key: "teams", label: "Teams" },
  { key: "invitations", label: "Invitations" },
  { key: "clients", label: "Clients" },
  { key: "projects", label: "Projects" },
  { key: "lock", label: "Locked period" },
];

/** Admin (owners and admins): users and their roles and rates, teams, invitations, clients, projects, the locked period. */
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
        {tab === "clients" && <ClientsPanel />}
        {tab === "projects" && <ProjectsPanel />}
        {tab === "lock" && <LockPanel />}
      </Tabs>
    </section>
  );
}
