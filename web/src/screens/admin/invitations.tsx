import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Invitation } from "../../api";
import { ErrorAlert } from "../../components/error-alert";
import { submitTo } from "../../components/form-actions";
import { ListTable } from "../../components/list-table";
import { ShownOnce } from "../../components/shown-once";
import { useAction } from "../../components/use-action";
import { formatDate, formatTime } from "../../lib/format";
import { ROLE_LABEL } from "./users";

/** How long a new invitation stays valid (the API takes 1 to 720 hours; its default is 168). */
const VALIDITY: readonly { hours: number; label: string }[] = [
  { hours: 24, label: "1 day" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
  { hours: 720, label: "30 days" },
];

const when = (instant: string) => `${formatDate(new Date(instant))} ${formatTime(new Date(instant))}`;

/** Invitations: make a code (shown once, with Copy), list the open ones, withdraw one. */
export function InvitationsPanel(): JSX.Element {
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [role, setRole] = useState<"member" | "admin">("member");
  const [hours, setHours] = useState(168);
  const [created, setCreated] = useState<Invitation | null>(null);
  const action = useAction();

  useEffect(() => void action.run(async () => setInvitations(await api.invitations())), []);

  const create = () =>
    action.run(async () => {
      setCreated(await api.createInvitation(role, hours));
      setInvitations(await api.invitations());
    });

  const withdraw = (invitation: Invitation) =>
    action.run(async () => {
      await api.deleteInvitation(invitation.id);
      if (created?.id === invitation.id) setCreated(null);
      setInvitations((shown) => (shown ?? []).filter((i) => i.id !== invitation.id));
    });

  return (
    <>
      <h2>Invitations</h2>
      <form class="filters card" aria-label="New invitation" onSubmit={submitTo(create)}>
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as "member" | "admin")}>
            <option value="member">{ROLE_LABEL.member}</option>
            <option value="admin">{ROLE_LABEL.admin}</option>
          </select>
        </div>
        <div class="field">
          <label for="invite-validity">Valid for</label>
          <select id="invite-validity" value={hours} onChange={(e) => setHours(Number(e.currentTarget.value))}>
            {VALIDITY.map((v) => (
              <option key={v.hours} value={v.hours}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <button type="submit" disabled={action.busy}>
            Create invitation
          </button>
        </div>
      </form>
      <ErrorAlert error={action.error} />
      {created?.code && <NewCode invitation={created} code={created.code} onDone={() => setCreated(null)} />}
      <ListTable
        rows={invitations}
        empty="No open invitations."
        caption="Open invitations"
        showCaption
        columns={[{ label: "Role" }, { label: "Created" }, { label: "Expires" }]}
        row={(invitation) => (
          <tr key={invitation.id}>
            <td>{ROLE_LABEL[invitation.role]}</td>
            <td>{when(invitation.created_at)}</td>
            <td>{when(invitation.expires_at)}</td>
            <td class="row-actions">
              <button type="button" class="secondary small" onClick={() => void withdraw(invitation)}>
                Withdraw
              </button>
            </td>
          </tr>
        )}
      />
    </>
  );
}

/** The new code, this once: a read-only field to select, Copy, and the warning that it will not be shown again. */
function NewCode(props: { invitation: Invitation; code: string; onDone: () => void }): JSX.Element {
  return (
    <ShownOnce
      id="new-invitation"
      heading="New invitation"
      label="Invitation code"
      value={props.code}
      copyLabel="Copy code"
      onDone={props.onDone}
      hint={
        <>
          Copy it now: it will not be shown again. It lets one person create a {ROLE_LABEL[props.invitation.role].toLowerCase()} account (Create
          account, Invitation code) until {when(props.invitation.expires_at)}.
        </>
      }
    />
  );
}
