import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, DEFAULT_CURRENCY, type Me, type Role, type User, type UserChange } from "../../api";
import { Dialog } from "../../components/dialog";
import { ErrorAlert } from "../../components/error-alert";
import { FormActions, submitTo } from "../../components/form-actions";
import { ListTable } from "../../components/list-table";
import { RATE_REFUSED, RateField } from "../../components/money-field";
import { useAction } from "../../components/use-action";
import { locale } from "../../lib/format";
import { centsToInput, formatRate, parseAmount } from "../../lib/money";

export const ROLE_LABEL: Readonly<Record<Role, string>> = { owner: "Owner", admin: "Admin", member: "Member" };

/** Users: a page of users at a time (More users for the next), each with role, active, rate and Edit. */
export function UsersPanel(props: { me: Me; onSelfChanged: () => void }): JSX.Element {
  const [users, setUsers] = useState<User[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [currency, setCurrency] = useState(DEFAULT_CURRENCY);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<User | null>(null);

  async function loadPage(cursor?: string): Promise<void> {
    setError(null);
    const page = await api.users(cursor);
    setUsers((shown) => (cursor ? [...(shown ?? []), ...page.users] : page.users));
    setNext(page.next_cursor);
  }

  useEffect(() => {
    loadPage().catch(setError);
    api.currency().then(setCurrency, setError);
  }, []);

  function saved(user: User): void {
    setUsers((shown) => (shown ?? []).map((u) => (u.id === user.id ? user : u)));
    setEditing(null);
    if (user.id === props.me.user_id) props.onSelfChanged();
  }

  return (
    <>
      <h2>Users</h2>
      <ErrorAlert error={error} />
      <ListTable
        rows={users}
        empty="No users."
        caption="Users"
        columns={[{ label: "Username" }, { label: "Role" }, { label: "Active" }, { label: "Hourly rate", num: true }]}
        row={(user) => (
          <tr key={user.id}>
            <th scope="row">{user.username}</th>
            <td>{ROLE_LABEL[user.role]}</td>
            <td>{user.active ? "Yes" : "No (cannot log in)"}</td>
            <td class="num">{formatRate(user.hourly_rate_cents, currency, locale())}</td>
            <td class="row-actions">
              <button type="button" class="secondary small" onClick={() => setEditing(user)}>
                Edit
              </button>
            </td>
          </tr>
        )}
      />
      {next && (
        <button type="button" class="secondary" onClick={() => void loadPage(next).catch(setError)}>
          More users
        </button>
      )}
      {editing && <UserForm user={editing} me={props.me} currency={currency} onSaved={saved} onClose={() => setEditing(null)} />}
    </>
  );
}

/** Edit a user: Role (owners only), Active, Hourly rate; only what changed is sent. */
function UserForm(props: { user: User; me: Me; currency: string; onSaved: (user: User) => void; onClose: () => void }): JSX.Element {
  const { user, me } = props;
  const [role, setRole] = useState<Role>(user.role);
  const [active, setActive] = useState(user.active);
  const [rate, setRate] = useState(centsToInput(user.hourly_rate_cents, locale()));
  const action = useAction();
  const mayChangeRole = me.role === "owner";
  // An owner's access is for an owner to take away.
  const mayChangeActive = user.role !== "owner" || me.role === "owner";

  async function save(): Promise<void> {
    const amount = parseAmount(rate);
    if (!amount.ok) {
      action.setError(new Error(RATE_REFUSED));
      return;
    }
    const change: UserChange = {
      ...(role !== user.role ? { role } : {}),
      ...(active !== user.active ? { active } : {}),
      ...(amount.cents !== (user.hourly_rate_cents ?? null) ? { hourly_rate_cents: amount.cents } : {}),
    };
    if (Object.keys(change).length === 0) return props.onClose();
    await action.run(async () => props.onSaved(await api.updateUser(user.username, change)));
  }

  return (
    <Dialog title={`Edit ${user.username}`} onClose={props.onClose}>
      <form onSubmit={submitTo(save)}>
        <div class="field">
          <label for="user-role">Role</label>
          <select
            id="user-role"
            value={role}
            disabled={!mayChangeRole}
            aria-describedby={mayChangeRole ? undefined : "user-role-hint"}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
          >
            {(["owner", "admin", "member"] as const).map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
          {!mayChangeRole && (
            <span id="user-role-hint" class="hint">
              Only an owner can change roles.
            </span>
          )}
        </div>
        <div class="field check">
          <input
            id="user-active"
            type="checkbox"
            checked={active}
            disabled={!mayChangeActive}
            aria-describedby="user-active-hint"
            onChange={(e) => setActive(e.currentTarget.checked)}
          />
          <label for="user-active">Active</label>
          <span id="user-active-hint" class="hint">
            {mayChangeActive ? "Only active users can log in; their entries stay either way." : "Only an owner can deactivate an owner."}
          </span>
        </div>
        <RateField id="user-rate" currency={props.currency} value={rate} onInput={setRate} />
        <ErrorAlert error={action.error} />
        <FormActions submitLabel="Save" busy={action.busy} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
