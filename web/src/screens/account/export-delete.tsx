import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type Me } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { FormActions, submitTo } from "../../components/form-actions";
import { TextField } from "../../components/text-field";

/**
 * Export and delete: everything the user owns as one JSON file (GET /me/export), and deleting
 * the account with its password, after a dialog; the last active owner is refused (409 LAST_OWNER).
 */
export function ExportDeletePanel(props: { me: Me; onDeleted: () => void }): JSX.Element {
  const [password, setPassword] = useState("");
  const [confirming, setConfirming] = useState(false);

  async function remove(): Promise<void> {
    await api.deleteAccount(password);
    setConfirming(false);
    props.onDeleted();
  }

  return (
    <>
      <h2>Export and delete</h2>
      <section class="card" aria-labelledby="export-heading">
        <h3 id="export-heading">Your data</h3>
        <p>One JSON file (time-tracker-export.json) of everything you own: your profile, preferences and every entry.</p>
        {/* The service names the file (Content-Disposition); the link only asks the browser to save it. */}
        <a class="button secondary" href={api.exportUrl} download>
          Download my data
        </a>
      </section>
      <section class="card danger-zone" aria-labelledby="delete-heading">
        <h3 id="delete-heading">Delete my account</h3>
        <p>
          Your account goes for good, with its entries, sessions, API tokens, webhooks and team memberships. Download your data first if you
          want to keep it. The last active owner of the instance cannot leave: make someone else an owner first.
        </p>
        <form class="narrow" onSubmit={submitTo(() => setConfirming(true))}>
          <TextField
            id="delete-password"
            label="Your password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onValue={setPassword}
          />
          <FormActions submitLabel="Delete my account" busy={false} danger />
        </form>
      </section>
      {confirming && (
        <ConfirmDialog title="Delete your account?" confirmLabel="Delete my account for good" onConfirm={remove} onClose={() => setConfirming(false)}>
          <p>
            <strong>{props.me.username}</strong> and everything of it will be deleted, and you will be signed out. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
