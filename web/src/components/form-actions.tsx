import type { JSX } from "preact";

/**
 * A form's buttons: the submit one (waiting while busy; `danger` for one that cannot be undone)
 * and, when there is somewhere to go back to, Cancel.
 */
export function FormActions(props: { submitLabel: string; busy: boolean; danger?: boolean; onCancel?: () => void }): JSX.Element {
  return (
    <div class="actions">
      <button type="submit" class={props.danger ? "danger" : undefined} disabled={props.busy}>
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

/** A form's onSubmit that runs `work` in the page (the browser does not send the form itself). */
export function submitTo(work: () => unknown): (event: Event) => void {
  return (event) => {
    event.preventDefault();
    void work();
  };
}
