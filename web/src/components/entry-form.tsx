import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, errorText, type Category, type Entry } from "../api";
import { fromLocalInput, toApiInstant, toLocalInput } from "../lib/time";
import { CategoryField, ensureCategory } from "./category-field";
import { Dialog } from "./dialog";
import { FormActions } from "./form-actions";

/** New entry or Edit: Category, Start, End, Note and Save; the API's refusal is shown in the form. */
export function EntryForm(props: {
  entry: Entry | null;
  categories: readonly Category[];
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(): Promise<void> {
    const startDate = fromLocalInput(start);
    const endDate = end === "" ? null : fromLocalInput(end);
    if (!startDate || (end !== "" && !endDate)) {
      setError("Start and End must be dates with times.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
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
      const saved = props.entry
        ? await api.updateEntry(props.entry.id, fields)
        : await api.createEntry({ ...fields, start_time: toApiInstant(startDate) });
      props.onSaved(saved);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={props.entry ? "Edit entry" : "New entry"} onClose={props.onClose}>
      <form
        class="entry-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <CategoryField id="entry-category" value={category} onInput={setCategory} categories={props.categories.map((c) => c.name)} />
        <div class="field">
          <label for="entry-start">Start</label>
          <input id="entry-start" type="datetime-local" required value={start} onInput={(e) => setStart(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="entry-end">End</label>
          <input id="entry-end" type="datetime-local" required={!props.entry || props.entry.end_time !== null} value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="entry-note">Note</label>
          <input id="entry-note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <FormActions submitLabel="Save" busy={busy} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
