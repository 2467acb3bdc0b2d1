import type { JSX } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { api, errorText, type Category, type Entry, type Me } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { EntryForm } from "../../components/entry-form";
import { ListTable } from "../../components/list-table";
import { formatDate, formatTime } from "../../lib/format";
import { addDays, dayKey, elapsedSeconds, formatDuration, fromLocalInput, startOfDay, toApiInstant } from "../../lib/time";

/** Entries: a filtered table, New entry, Edit, and Delete after a confirmation dialog. */
export function EntriesScreen(props: { me: Me }): JSX.Element {
  const today = startOfDay(new Date());
  const [from, setFrom] = useState(dayKey(addDays(today, -30)));
  const [to, setTo] = useState(dayKey(today));
  const [filterCategory, setFilterCategory] = useState("");
  const [categories, setCategories] = useState<Category[]>([]);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Entry | "new" | null>(null);
  const [deleting, setDeleting] = useState<Entry | null>(null);

  const load = useCallback(async () => {
    const fromDate = fromLocalInput(from);
    const toDate = fromLocalInput(to);
    const [cats, list] = await Promise.all([
      api.categories(),
      api.entries(props.me.username, {
        ...(fromDate ? { from: toApiInstant(fromDate) } : {}),
        ...(toDate ? { to: toApiInstant(addDays(toDate, 1)) } : {}),
        ...(filterCategory ? { category: filterCategory } : {}),
      }),
    ]);
    setCategories(cats);
    setEntries(list.slice().reverse());
  }, [props.me.username, from, to, filterCategory]);

  useEffect(() => {
    setError(null);
    load().catch((e: unknown) => setError(errorText(e)));
  }, [load]);

  useEffect(() => {
    document.title = "Entries — Time Tracker";
  }, []);

  async function confirmDelete(entry: Entry): Promise<void> {
    await api.deleteEntry(entry.id);
    setDeleting(null);
    await load().catch((e: unknown) => setError(errorText(e)));
  }

  return (
    <section aria-labelledby="entries-heading" class="screen">
      <div class="heading-row">
        <h1 id="entries-heading">Entries</h1>
        <button type="button" onClick={() => setEditing("new")}>
          New entry
        </button>
      </div>
      <form class="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="filter-from">From date</label>
          <input id="filter-from" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="filter-to">To date</label>
          <input id="filter-to" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="filter-category">Only category</label>
          <select id="filter-category" value={filterCategory} onChange={(e) => setFilterCategory(e.currentTarget.value)}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.id} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ListTable
        rows={entries}
        empty="No entries in this range."
        caption="Time entries, newest first"
        columns={[{ label: "Date" }, { label: "Category" }, { label: "Time" }, { label: "Duration", num: true }, { label: "Note" }]}
        row={(entry) => {
          const start = new Date(entry.start_time);
          const end = entry.end_time ? new Date(entry.end_time) : null;
          return (
            <tr key={entry.id}>
              <td>{formatDate(start)}</td>
              <td>{entry.category}</td>
              <td>
                {formatTime(start)}–{end ? formatTime(end) : "running"}
              </td>
              <td class="num">{formatDuration(entry.duration_seconds ?? elapsedSeconds(start, new Date()))}</td>
              <td>{entry.note}</td>
              <td class="row-actions">
                <button type="button" class="secondary small" onClick={() => setEditing(entry)}>
                  Edit
                </button>
                <button type="button" class="danger small" onClick={() => setDeleting(entry)}>
                  Delete
                </button>
              </td>
            </tr>
          );
        }}
      />
      {editing !== null && (
        <EntryForm
          entry={editing === "new" ? null : editing}
          categories={categories}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load().catch((e: unknown) => setError(errorText(e)));
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog title="Delete this entry?" confirmLabel="Delete" onConfirm={() => confirmDelete(deleting)} onClose={() => setDeleting(null)}>
          <p>
            {deleting.category}, {formatDate(new Date(deleting.start_time))} {formatTime(new Date(deleting.start_time))}. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
