import type { JSX } from "preact";

/** A form's buttons: the submit one (waiting while busy) and, when there is somewhere to go back to, Cancel. */
export function FormActions(props: { submitLabel: string; busy: boolean; onCancel?: () => void }): JSX.Element {
  return (
    <div class="actions">
      <button type="submit" disabled={props.busy}>
        {props.submitLabel}
      </button>
      {props.onCancel && (
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
