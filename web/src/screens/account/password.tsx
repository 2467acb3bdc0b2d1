import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api } from "../../api";
import { ErrorAlert } from "../../components/error-alert";
import { FormActions, submitTo } from "../../components/form-actions";
import { TextField } from "../../components/text-field";
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
      <form class="card narrow" aria-label="Change password" onSubmit={submitTo(change)}>
        <TextField
          id="password-current"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onValue={setCurrent}
        />
        <TextField
          id="password-new"
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          maxLength={PASSWORD_MAX}
          value={next}
          onValue={setNext}
          hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. Your other sessions will be signed out.`}
        />
        <TextField
          id="password-confirm"
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          required
          value={confirmation}
          onValue={setConfirmation}
        />
        <ErrorAlert error={action.error} />
        <FormActions submitLabel="Change password" busy={action.busy} />
        <p role="status" class="done">
          {done}
        </p>
      </form>
    </>
  );
}
