import type { JSX } from "preact";
import { Dialog } from "./dialog";
import { NameForm } from "./name-form";

/** "Rename <name>": a dialog with one name field and Save; a refusal (a name in use) stays in it. */
export function RenameDialog(props: {
  id: string;
  label: string;
  name: string;
  onRename: (name: string) => Promise<void>;
  onClose: () => void;
}): JSX.Element {
  return (
    <Dialog title={`Rename ${props.name}`} onClose={props.onClose}>
      <NameForm id={props.id} label={props.label} submitLabel="Save" initial={props.name} keep onCancel={props.onClose} onSubmit={props.onRename} />
    </Dialog>
  );
}
