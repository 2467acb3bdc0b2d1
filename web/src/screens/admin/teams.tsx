import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Team } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { submitTo } from "../../components/form-actions";
import { ListTable } from "../../components/list-table";
import { useAction } from "../../components/use-action";
import { NameForm } from "../../components/name-form";
import { RenameDialog } from "../../components/rename-dialog";
import { TextField } from "../../components/text-field";

/** Teams: create one; per team rename, delete (after a dialog), add members, make them lead, remove them. */
export function TeamsPanel(): JSX.Element {
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [usernames, setUsernames] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [renaming, setRenaming] = useState<Team | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);

  useEffect(() => {
    api.teams().then(setTeams, setError);
    api.allUsers().then((users) => setUsernames(users.filter((u) => u.active).map((u) => u.username)), setError);
  }, []);

  const byName = (list: Team[]) => list.slice().sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
  const replace = (team: Team) => setTeams((shown) => byName((shown ?? []).map((t) => (t.id === team.id ? team : t))));

  return (
    <>
      <h2>Teams</h2>
      <ErrorAlert error={error} />
      <div class="card">
        <NameForm
          id="new-team-name"
          label="Team name"
          submitLabel="Create team"
          inline
          onSubmit={async (name) => {
            const team = await api.createTeam(name);
            setTeams((shown) => byName([...(shown ?? []), team]));
          }}
        />
      </div>
      {teams === null ? (
        <p class="muted">Loading…</p>
      ) : teams.length === 0 ? (
        <p class="muted">No teams yet.</p>
      ) : (
        teams.map((team) => (
          <TeamCard
            key={team.id}
            team={team}
            onChanged={replace}
            onRename={() => setRenaming(team)}
            onDelete={() => setDeleting(team)}
          />
        ))
      )}
      <datalist id="team-member-options">
        {usernames.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {renaming && (
        <RenameDialog
          id="rename-team-name"
          label="Team name"
          name={renaming.name}
          onClose={() => setRenaming(null)}
          onRename={async (name) => {
            replace(await api.renameTeam(renaming.id, name));
            setRenaming(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the team ${deleting.name}?`}
          confirmLabel="Delete"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.deleteTeam(deleting.id);
            setTeams((shown) => (shown ?? []).filter((t) => t.id !== deleting.id));
            setDeleting(null);
          }}
        >
          <p>Its {deleting.members.length} members lose this team and their leads lose sight of their time. Their entries stay.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** One team: its members with Lead and Remove, and a form to add someone. */
function TeamCard(props: {
  team: Team;
  onChanged: (team: Team) => void;
  onRename: () => void;
  onDelete: () => void;
}): JSX.Element {
  const { team } = props;
  const action = useAction();
  const [adding, setAdding] = useState("");
  const [addAsLead, setAddAsLead] = useState(false);
  // A Lead box shows its new state at once; a refusal puts it back (and says why).
  const [leadShown, setLeadShown] = useState<Readonly<Record<string, boolean>>>({});
  const headingId = `team-${team.id}-name`;

  /** Runs one change of the team's members, showing a refusal on this card. */
  const change = (run: () => Promise<Team>) => action.run(async () => props.onChanged(await run()));

  async function setLead(username: string, lead: boolean): Promise<void> {
    setLeadShown((shown) => ({ ...shown, [username]: lead }));
    await change(() => api.setTeamMember(team.id, username, lead));
    setLeadShown(({ [username]: _, ...rest }) => rest);
  }

  const remove = (username: string) =>
    change(async () => {
      await api.removeTeamMember(team.id, username);
      return { ...team, members: team.members.filter((m) => m.username !== username) };
    });

  async function add(): Promise<void> {
    const username = adding.trim();
    if (await change(() => api.setTeamMember(team.id, username, addAsLead))) {
      setAdding("");
      setAddAsLead(false);
    }
  }

  return (
    <section class="card team-card" aria-labelledby={headingId}>
      <div class="heading-row">
        <h3 id={headingId}>{team.name}</h3>
        <div class="actions">
          <button type="button" class="secondary small" onClick={props.onRename}>
            Rename
          </button>
          <button type="button" class="danger small" onClick={props.onDelete}>
            Delete
          </button>
        </div>
      </div>
      <ListTable
        rows={team.members}
        empty="No members yet."
        caption={`Members of ${team.name}`}
        columns={[{ label: "Member" }, { label: "Lead" }]}
        row={(member) => (
          <tr key={member.username}>
            <th scope="row">{member.username}</th>
            <td>
              <label class="check">
                <input
                  type="checkbox"
                  checked={leadShown[member.username] ?? member.lead}
                  disabled={action.busy}
                  onChange={(e) => void setLead(member.username, e.currentTarget.checked)}
                />
                Lead
              </label>
            </td>
            <td class="row-actions">
              <button type="button" class="secondary small" disabled={action.busy} onClick={() => void remove(member.username)}>
                Remove
              </button>
            </td>
          </tr>
        )}
      />
      <form class="filters add-member" aria-label={`Add a member to ${team.name}`} onSubmit={submitTo(add)}>
        <TextField id={`team-${team.id}-add`} label="Username" list="team-member-options" autoComplete="off" required value={adding} onValue={setAdding} />
        <div class="field check">
          <input id={`team-${team.id}-add-lead`} type="checkbox" checked={addAsLead} onChange={(e) => setAddAsLead(e.currentTarget.checked)} />
          <label for={`team-${team.id}-add-lead`}>As lead</label>
        </div>
        <div class="field">
          <button type="submit" disabled={action.busy}>
            Add member
          </button>
        </div>
      </form>
      <ErrorAlert error={action.error} />
    </section>
  );
}
