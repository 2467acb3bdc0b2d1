import type { JSX } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { api, DEFAULT_CURRENCY, type Category, type Entry, type EntryFilter, type Me, type Project } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { EntryForm } from "../../components/entry-form";
import { ErrorAlert } from "../../components/error-alert";
import { ListTable } from "../../components/list-table";
import { SelectField } from "../../components/select-field";
import { TagList } from "../../components/tag-list";
import { formatDate, formatTime, locale } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { entryProjectLabel, projectLabel } from "../../lib/projects";
import { addDays, dayKey, elapsedSeconds, formatDuration, fromLocalInput, startOfDay, toApiInstant } from "../../lib/time";

type BillableFilter = "" | "true" | "false";

const BILLABLE_OPTIONS = [
  { value: "true", label: "Billable only" },
  { value: "false", label: "Not billable only" },
];

const when = (entry: Entry) => `${formatDate(new Date(entry.start_time))} ${formatTime(new Date(entry.start_time))}`;

/** Entries: a filtered table, New entry, Edit, Delete after a confirmation dialog, and Delete selected for several. */
export function EntriesScreen(props: { me: Me }): JSX.Element {
  const today = startOfDay(new Date());
  const [from, setFrom] = useState(dayKey(addDays(today, -30)));
  const [to, setTo] = useState(dayKey(today));
  const [filterCategory, setFilterCategory] = useState("");
  const [filterProject, setFilterProject] = useState("");
  const [filterTag, setFilterTag] = useState("");
  const [filterBillable, setFilterBillable] = useState<BillableFilter>("");
  const [categories, setCategories] = useState<Category[]>([]);
  const [projects, setProjects] = useState<Project[]>([]);
  const [tagNames, setTagNames] = useState<string[]>([]);
  const [currency, setCurrency] = useState(DEFAULT_CURRENCY);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Entry | "new" | null>(null);
  const [deleting, setDeleting] = useState<Entry | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [deletingSelected, setDeletingSelected] = useState(false);
  const [deletedSoFar, setDeletedSoFar] = useState("");

  const load = useCallback(async () => {
    const fromDate = fromLocalInput(from);
    const toDate = fromLocalInput(to);
    const filter: EntryFilter = {
      ...(fromDate ? { from: toApiInstant(fromDate) } : {}),
      ...(toDate ? { to: toApiInstant(addDays(toDate, 1)) } : {}),
      ...(filterCategory ? { category: filterCategory } : {}),
      ...(filterProject ? { project_id: Number(filterProject) } : {}),
      ...(filterTag ? { tag: filterTag } : {}),
      ...(filterBillable ? { billable: filterBillable === "true" } : {}),
    };
    const [cats, all, tags, list] = await Promise.all([
      api.categories(),
      api.projects({ include_archived: true }),
      api.tags(),
      api.entries(props.me.username, filter),
    ]);
    setCategories(cats);
    setProjects(all);
    setTagNames(tags.map((t) => t.name));
    setEntries(list.slice().reverse());
    // What is selected stays selected only while it is listed.
    setSelected((chosen) => new Set(list.filter((e) => chosen.has(e.id)).map((e) => e.id)));
  }, [props.me.username, from, to, filterCategory, filterProject, filterTag, filterBillable]);

  const reload = () => load().catch(setError);

  useEffect(() => {
    setError(null);
    void reload();
  }, [load]);

  useEffect(() => {
    document.title = "Entries — Time Tracker";
    api.currency().then(setCurrency, setError);
  }, []);

  async function confirmDelete(entry: Entry): Promise<void> {
    await api.deleteEntry(entry.id);
    setDeleting(null);
    await reload();
  }

  /** Deletes the selected entries one by one; a refusal (the locked period) is shown after trying them all. */
  async function confirmDeleteSelected(ids: readonly number[]): Promise<void> {
    let refusal: unknown = null;
    let deleted = 0;
    for (const id of ids) {
      try {
        await api.deleteEntry(id);
        deleted++;
      } catch (e) {
        refusal ??= e;
      }
    }
    await reload();
    if (refusal !== null) {
      setDeletedSoFar(`${deleted} of ${ids.length} deleted; ${ids.length - deleted} refused:`);
      throw refusal;
    }
    setDeletingSelected(false);
  }

  const listed = entries ?? [];
  const allSelected = listed.length > 0 && listed.every((e) => selected.has(e.id));
  const toggle = (id: number, on: boolean) =>
    setSelected((chosen) => {
      const next = new Set(chosen);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const selectedIds = listed.filter((e) => selected.has(e.id)).map((e) => e.id);

  return (
    <section aria-labelledby="entries-heading" class="screen">
      <div class="heading-row">
        <h1 id="entries-heading">Entries</h1>
        <div class="actions">
          <button
            type="button"
            class="danger"
            disabled={selectedIds.length === 0}
            onClick={() => {
              setDeletedSoFar("");
              setDeletingSelected(true);
            }}
          >
            Delete selected ({selectedIds.length})
          </button>
          <button type="button" onClick={() => setEditing("new")}>
            New entry
          </button>
        </div>
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
        <SelectField
          id="filter-category"
          label="Only category"
          none="All categories"
          value={filterCategory}
          onChange={setFilterCategory}
          options={categories.map((c) => ({ value: c.name, label: c.name }))}
        />
        <SelectField
          id="filter-project"
          label="Only project"
          none="All projects"
          value={filterProject}
          onChange={setFilterProject}
          options={projects.map((p) => ({ value: String(p.id), label: projectLabel(p) + (p.archived ? " (archived)" : "") }))}
        />
        <SelectField
          id="filter-tag"
          label="Only tag"
          none="All tags"
          value={filterTag}
          onChange={setFilterTag}
          options={tagNames.map((name) => ({ value: name, label: name }))}
        />
        <SelectField
          id="filter-billable"
          label="Billing"
          none="Billable or not"
          value={filterBillable}
          onChange={(value) => setFilterBillable(value as BillableFilter)}
          options={BILLABLE_OPTIONS}
        />
      </form>
      <ErrorAlert error={error} />
      <ListTable
        rows={entries}
        empty="No entries match."
        caption="Time entries, newest first"
        wide
        columns={[
          {
            label: "Select",
            head: (
              <input
                type="checkbox"
                aria-label="Select all"
                checked={allSelected}
                onChange={(e) => setSelected(new Set(e.currentTarget.checked ? listed.map((x) => x.id) : []))}
              />
            ),
          },
          { label: "When" },
          { label: "Category" },
          { label: "Project" },
          { label: "Tags" },
          { label: "Duration", num: true },
          { label: "Billable" },
          { label: "Amount", num: true },
          { label: "Note" },
        ]}
        row={(entry) => {
          const start = new Date(entry.start_time);
          const end = entry.end_time ? new Date(entry.end_time) : null;
          return (
            <tr key={entry.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${entry.category}, ${when(entry)}`}
                  checked={selected.has(entry.id)}
                  onChange={(e) => toggle(entry.id, e.currentTarget.checked)}
                />
              </td>
              <td class="nowrap">
                {formatDate(start)}
                <br />
                <span class="muted">
                  {formatTime(start)}–{end ? formatTime(end) : "running"}
                </span>
              </td>
              <td>{entry.category}</td>
              <td>{entryProjectLabel(entry)}</td>
              <td>
                <TagList tags={entry.tags} />
              </td>
              <td class="num">{formatDuration(entry.duration_seconds ?? elapsedSeconds(start, new Date()))}</td>
              <td>{entry.billable ? "Yes" : "No"}</td>
              <td class="num">{entry.amount_cents === null ? "" : formatMoney(entry.amount_cents, currency, locale())}</td>
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
          projects={projects}
          tagNames={tagNames}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog title="Delete this entry?" confirmLabel="Delete" onConfirm={() => confirmDelete(deleting)} onClose={() => setDeleting(null)}>
          <p>
            {deleting.category}, {when(deleting)}. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
      {deletingSelected && (
        <ConfirmDialog
          title={selectedIds.length === 1 ? "Delete 1 entry?" : `Delete ${selectedIds.length} entries?`}
          confirmLabel="Delete"
          onConfirm={() => confirmDeleteSelected(selectedIds)}
          onClose={() => setDeletingSelected(false)}
        >
          <p>The selected entries go for good. This cannot be undone.</p>
          {deletedSoFar && <p role="status">{deletedSoFar}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}

