import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ErrorAlert } from "./error-alert";
import { FormActions, submitTo } from "./form-actions";
import { TextField } from "./text-field";
import { useAction } from "./use-action";

/**
 * One name and a button (create a team, rename it): the name is sent trimmed, the API's
 * refusal is shown under the field, and on success the field is emptied unless `keep`.
 */
export function NameForm(props: {
  id: string;
  label: string;
  submitLabel: string;
  initial?: string;
  keep?: boolean;
  /** Field and button side by side (they wrap on a narrow screen). */
  inline?: boolean;
  maxLength?: number;
  onSubmit: (name: string) => Promise<void>;
  onCancel?: () => void;
}): JSX.Element {
  const [name, setName] = useState(props.initial ?? "");
  const action = useAction();

  async function submit(): Promise<void> {
    if ((await action.run(() => props.onSubmit(name.trim()))) && !props.keep) setName("");
  }

  return (
    <form class={props.inline ? "name-form filters" : "name-form"} onSubmit={submitTo(submit)}>
      <TextField id={props.id} label={props.label} required maxLength={props.maxLength ?? 100} value={name} onValue={setName} />
      <ErrorAlert error={action.error} />
      <FormActions submitLabel={props.submitLabel} busy={action.busy} onCancel={props.onCancel} />
    </form>
  );
}
