import type { ComponentChildren, JSX } from "preact";
import { Dialog } from "./dialog";
import { ErrorAlert } from "./error-alert";
import { useAction } from "./use-action";

/**
 * "Are you sure?" for what cannot be undone: a dialog whose danger button (named by
 * `confirmLabel`) runs `onConfirm`; a refusal stays in the dialog, Cancel or Escape close it.
 */
export function ConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ComponentChildren;
}): JSX.Element {
  const action = useAction();
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      {props.children}
      <ErrorAlert error={action.error} />
      <div class="actions">
        <button type="button" class="danger" disabled={action.busy} onClick={() => void action.run(props.onConfirm)}>
          {props.confirmLabel}
        </button>
        <button type="button" class="secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
