import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Settings } from "../../api";
import { ErrorAlert } from "../../components/error-alert";
import { submitTo } from "../../components/form-actions";
import { TextField } from "../../components/text-field";
import { useAction } from "../../components/use-action";
import { formatDateMaybeTime } from "../../lib/format";
import { dayKey, fromLocalInput, toApiInstant } from "../../lib/time";

/**
 * The locked period: members cannot add, change or delete entries that start before a date
 * (admins still can). A day is chosen in the browser's calendar and sent as its local midnight.
 */
export function LockPanel(): JSX.Element {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [day, setDay] = useState("");
  const action = useAction();

  const show = (answer: Settings) => {
    setSettings(answer);
    setDay(answer.lock_before ? dayKey(new Date(answer.lock_before)) : "");
  };

  useEffect(() => void action.run(async () => show(await api.settings())), []);

  async function lock(): Promise<void> {
    const midnight = fromLocalInput(day);
    if (!midnight) {
      action.setError(new Error("Choose the first day that stays open."));
      return;
    }
    await action.run(async () => show(await api.setLockBefore(toApiInstant(midnight))));
  }

  const lockBefore = settings?.lock_before ? new Date(settings.lock_before) : null;

  return (
    <>
      <h2>Locked period</h2>
      {settings && (
        <p class="card notice" aria-live="polite">
          {lockBefore ? (
            <>
              Entries starting before <strong>{formatDateMaybeTime(lockBefore)}</strong> are locked: members cannot add, change, stop or
              delete them. Admins still can.
            </>
          ) : (
            "Nothing is locked: members can change all of their entries."
          )}
        </p>
      )}
      <form class="filters card" aria-label="Set the lock" onSubmit={submitTo(lock)}>
        <TextField
          id="lock-before"
          label="Lock entries before"
          type="date"
          required
          value={day}
          onValue={setDay}
          hint="The day itself stays open; everything before it locks."
        />
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            Set lock
          </button>
          {lockBefore && (
            <button type="button" class="secondary" disabled={action.busy} onClick={() => void action.run(async () => show(await api.setLockBefore(null)))}>
              Lift lock
            </button>
          )}
        </div>
      </form>
      <ErrorAlert error={action.error} />
    </>
  );
}
