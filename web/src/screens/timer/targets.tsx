import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, type Category, type DailyTarget } from "../../api";
import { Dialog } from "../../components/dialog";
import { ErrorAlert } from "../../components/error-alert";
import { FormActions, submitTo } from "../../components/form-actions";
import { ProgressRing } from "../../components/progress-ring";
import { SelectField } from "../../components/select-field";
import { useAction } from "../../components/use-action";
import { parseTarget, targetProgress } from "../../lib/targets";
import { formatDuration } from "../../lib/time";

const nameOf = (categories: readonly Category[], id: number) => categories.find((c) => c.id === id)?.name ?? `Category ${id}`;

/** Today against the daily targets: a ring per category with a target, its time and what is left or over; Set daily targets. */
export function DailyTargets(props: {
  categories: readonly Category[];
  targets: readonly DailyTarget[];
  /** Today's seconds per category id. */
  spent: ReadonlyMap<number, number>;
  onSaved: (targets: DailyTarget[]) => void;
}): JSX.Element {
  const [editing, setEditing] = useState(false);
  return (
    <section aria-labelledby="targets-heading" class="card">
      <div class="heading-row">
        <h2 id="targets-heading">Daily targets</h2>
        <button type="button" class="secondary small" onClick={() => setEditing(true)}>
          Set daily targets
        </button>
      </div>
      {props.targets.length === 0 ? (
        <p class="muted">No daily targets yet: give a category one to see how today measures up.</p>
      ) : (
        <ul class="targets">
          {props.targets.map((target) => {
            const name = nameOf(props.categories, target.category_id);
            const progress = targetProgress(name, props.spent.get(target.category_id) ?? 0, target.seconds);
            return (
              <li key={target.category_id}>
                <ProgressRing fraction={progress.fraction} label={progress.label} over={progress.over} />
                <span class="target-text">
                  <strong>{name}</strong>
                  <span class={progress.over ? "over" : "muted"}>{progress.status}</span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {editing && (
        <TargetsForm
          categories={props.categories}
          targets={props.targets}
          onClose={() => setEditing(false)}
          onSaved={(targets) => {
            setEditing(false);
            props.onSaved(targets);
          }}
        />
      )}
    </section>
  );
}

interface Row {
  readonly categoryId: number;
  readonly text: string;
}

/** The targets as a form: one h:mm field per category that has one, Remove, a new one for another category, Save. */
function TargetsForm(props: {
  categories: readonly Category[];
  targets: readonly DailyTarget[];
  onSaved: (targets: DailyTarget[]) => void;
  onClose: () => void;
}): JSX.Element {
  const [rows, setRows] = useState<readonly Row[]>(props.targets.map((t) => ({ categoryId: t.category_id, text: formatDuration(t.seconds) })));
  const [newCategory, setNewCategory] = useState("");
  const [newText, setNewText] = useState("");
  const action = useAction();
  const open = props.categories.filter((c) => !rows.some((row) => row.categoryId === c.id));

  async function save(): Promise<void> {
    const all = newCategory === "" ? rows : [...rows, { categoryId: Number(newCategory), text: newText }];
    const targets: DailyTarget[] = [];
    for (const row of all) {
      const seconds = parseTarget(row.text);
      if (seconds === null) {
        action.setError(new Error(`${nameOf(props.categories, row.categoryId)}: type the target as h:mm, from 0:01 to 24:00.`));
        return;
      }
      targets.push({ category_id: row.categoryId, seconds });
    }
    await action.run(async () => props.onSaved(await api.setDailyTargets(targets)));
  }

  return (
    <Dialog title="Daily targets" onClose={props.onClose}>
      <form onSubmit={submitTo(save)}>
        {rows.map((row) => {
          const name = nameOf(props.categories, row.categoryId);
          return (
            <div class="field-row" key={row.categoryId}>
              <div class="field grow">
                <label for={`target-${row.categoryId}`}>{name} (h:mm)</label>
                <input
                  id={`target-${row.categoryId}`}
                  inputMode="numeric"
                  autoComplete="off"
                  value={row.text}
                  onInput={(e) => {
                    const text = e.currentTarget.value;
                    setRows((all) => all.map((r) => (r.categoryId === row.categoryId ? { ...r, text } : r)));
                  }}
                />
              </div>
              <div class="field">
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Remove the target for ${name}`}
                  onClick={() => setRows((all) => all.filter((r) => r.categoryId !== row.categoryId))}
                >
                  Remove
                </button>
              </div>
            </div>
          );
        })}
        {open.length > 0 && (
          <div class="field-row">
            <SelectField
              id="target-new-category"
              label="Add a target for"
              none="Choose a category"
              value={newCategory}
              onChange={setNewCategory}
              options={open.map((c) => ({ value: String(c.id), label: c.name }))}
            />
            <div class="field">
              <label for="target-new-time">Target (h:mm)</label>
              <input id="target-new-time" inputMode="numeric" autoComplete="off" placeholder="2:00" value={newText} onInput={(e) => setNewText(e.currentTarget.value)} />
            </div>
          </div>
        )}
        <p class="hint">A target per category and day, from 0:01 to 24:00; remove one to drop it.</p>
        <ErrorAlert error={action.error} />
        <FormActions submitLabel="Save" busy={action.busy} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
