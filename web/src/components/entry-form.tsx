import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type Category, type Entry, type Project } from "../api";
import { fromLocalInput, toApiInstant, toLocalInput } from "../lib/time";
import { CategoryField, ensureCategory } from "./category-field";
import { Dialog } from "./dialog";
import { ErrorAlert } from "./error-alert";
import { extrasChanges, ExtrasFields, useExtras } from "./entry-extras";
import { FormActions, submitTo } from "./form-actions";
import { TextField } from "./text-field";
import { useAction } from "./use-action";

/**
 * New entry or Edit: Category, Project, Billable, Tags, Start, End, Note and Save; an edit sends
 * only what changed, and the API's refusal (an overlap, the locked period) is shown in the form.
 */
export function EntryForm(props: {
  entry: Entry | null;
  categories: readonly Category[];
  projects: readonly Project[];
  tagNames: readonly string[];
  onSaved: (entry: Entry) => void;
  onClose: () => void;
}): JSX.Element {
  const now = new Date();
  const initialStart = props.entry ? new Date(props.entry.start_time) : new Date(now.getTime() - 3600_000);
  const initialEnd = props.entry?.end_time ? new Date(props.entry.end_time) : props.entry ? null : now;
  const [category, setCategory] = useState(props.entry?.category ?? "");
  const [start, setStart] = useState(toLocalInput(initialStart));
  const [end, setEnd] = useState(initialEnd ? toLocalInput(initialEnd) : "");
  const [note, setNote] = useState(props.entry?.note ?? "");
  const extras = useExtras(props.entry);
  const action = useAction();

  async function save(): Promise<void> {
    const startDate = fromLocalInput(start);
    const endDate = end === "" ? null : fromLocalInput(end);
    if (!startDate || (end !== "" && !endDate)) {
      action.setError(new Error("Start and End must be dates with times."));
      return;
    }
    await action.run(async () => {
      const name = await ensureCategory(category, props.categories);
      // An edit sends only what changed: the fields show minutes, the entry keeps its seconds.
      const startChanged = !props.entry || start !== toLocalInput(initialStart);
      const endChanged = !props.entry || end !== (initialEnd ? toLocalInput(initialEnd) : "");
      const fields = {
        category: name,
        ...(startChanged ? { start_time: toApiInstant(startDate) } : {}),
        ...(endDate && endChanged ? { end_time: toApiInstant(endDate) } : {}),
        note: note.trim(),
      };
      const values = extras.values(props.tagNames);
      const saved = props.entry
        ? await api.updateEntry(props.entry.id, { ...fields, ...extrasChanges(props.entry, values) })
        : await api.createEntry({ ...fields, start_time: toApiInstant(startDate), ...values });
      props.onSaved(saved);
    });
  }

  return (
    <Dialog title={props.entry ? "Edit entry" : "New entry"} onClose={props.onClose}>
      <form class="entry-form" onSubmit={submitTo(save)}>
        <CategoryField id="entry-category" value={category} onInput={setCategory} categories={props.categories.map((c) => c.name)} />
        <ExtrasFields
          idPrefix="entry"
          extras={extras}
          projects={props.projects}
          knownTags={props.tagNames}
          currentProjectId={props.entry?.project_id ?? null}
        />
        <TextField id="entry-start" label="Start" type="datetime-local" required value={start} onValue={setStart} />
        <TextField
          id="entry-end"
          label="End"
          type="datetime-local"
          required={!props.entry || props.entry.end_time !== null}
          value={end}
          onValue={setEnd}
        />
        <TextField id="entry-note" label="Note" maxLength={500} value={note} onValue={setNote} />
        <ErrorAlert error={action.error} />
        <FormActions submitLabel="Save" busy={action.busy} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
