import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { ErrorAlert } from "../../components/error-alert";
import { ListTable } from "../../components/list-table";
import { useAction } from "../../components/use-action";
import { whenText } from "../../lib/format";

/** Sessions: where the user is signed in (newest first), this one marked; Sign out ends another one. */
export function SessionsPanel(): JSX.Element {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const action = useAction();

  const load = () => action.run(async () => setSessions(await api.sessions()));
  useEffect(() => void load(), []);

  const end = (session: Session) =>
    action.run(async () => {
      await api.endSession(session.id);
      setSessions((shown) => (shown ?? []).filter((s) => s.id !== session.id));
    });

  return (
    <>
      <h2>Sessions</h2>
      <p class="hint">
        Every browser or device signed in to your account. Sign out one you do not recognise; changing your password signs out all but
        this one.
      </p>
      <ErrorAlert error={action.error} />
      <ListTable
        rows={sessions}
        empty="No sessions."
        caption="Signed-in sessions"
        columns={[{ label: "Signed in" }, { label: "Expires" }, { label: "Which" }]}
        row={(session) => (
          <tr key={session.id}>
            <td>{whenText(session.created_at)}</td>
            <td>{whenText(session.expires_at)}</td>
            <td>{session.current ? <strong>This session</strong> : "Another session"}</td>
            <td class="row-actions">
              {!session.current && (
                <button
                  type="button"
                  class="secondary small"
                  disabled={action.busy}
                  aria-label={`Sign out the session signed in ${whenText(session.created_at)}`}
                  onClick={() => void end(session)}
                >
                  Sign out
                </button>
              )}
            </td>
          </tr>
        )}
      />
      <button type="button" class="secondary" disabled={action.busy} onClick={() => void load()}>
        Refresh
      </button>
    </>
  );
}
