import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api } from "../../api";
import { ErrorAlert } from "../../components/error-alert";
import { FormActions } from "../../components/form-actions";
import { useAction } from "../../components/use-action";
import { newPasswordProblem, PASSWORD_MAX, PASSWORD_MIN } from "../../lib/account";

/** Password: the current one, the new one twice; every other session ends (API tokens stay). */
export function PasswordPanel(): JSX.Element {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [done, setDone] = useState("");
  const action = useAction();

  async function change(): Promise<void> {
    setDone("");
    const problem = newPasswordProblem(next, confirmation);
    if (problem) {
      action.setError(new Error(problem));
      return;
    }
    const changed = await action.run(() => api.changePassword(current, next));
    if (changed) {
      setCurrent("");
      setNext("");
      setConfirmation("");
      setDone("Password changed. Your other sessions were signed out; this one stays signed in, and API tokens keep working.");
    }
  }

  return (
    <>
      <h2>Password</h2>
      <form
        class="card narrow"
        aria-label="Change password"
        onSubmit={(event) => {
          event.preventDefault();
          void change();
        }}
      >
        <div class="field">
          <label for="password-current">Current password</label>
          <input
            id="password-current"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="password-new">New password</label>
          <input
            id="password-new"
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN}
            maxLength={PASSWORD_MAX}
            aria-describedby="password-new-hint"
            value={next}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
          <span id="password-new-hint" class="hint">
            {PASSWORD_MIN} to {PASSWORD_MAX} characters. Your other sessions will be signed out.
          </span>
        </div>
        <div class="field">
          <label for="password-confirm">Confirm new password</label>
          <input
            id="password-confirm"
            type="password"
            autoComplete="new-password"
            required
            value={confirmation}
            onInput={(e) => setConfirmation(e.currentTarget.value)}
          />
        </div>
        <ErrorAlert error={action.error} />
        <FormActions submitLabel="Change password" busy={action.busy} />
        <p role="status" class="done">
          {done}
        </p>
      </form>
    </>
  );
}
