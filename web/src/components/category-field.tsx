import type { JSX, Ref } from "preact";
import { api, type Category } from "../api";
import { matchCategory } from "../lib/categories";

/**
 * A text field labelled Category with the known names as suggestions (choose or type), and
 * optionally chips to pick one with a click.
 */
export function CategoryField(props: {
  id: string;
  value: string;
  onInput: (value: string) => void;
  categories: readonly string[];
  chips?: readonly string[];
  inputRef?: Ref<HTMLInputElement>;
  required?: boolean;
}): JSX.Element {
  const listId = `${props.id}-options`;
  return (
    <div class="field">
      <label for={props.id}>Category</label>
      <input
        id={props.id}
        ref={props.inputRef}
        list={listId}
        autoComplete="off"
        maxLength={100}
        required={props.required ?? true}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <datalist id={listId}>
        {props.categories.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {props.chips && props.chips.length > 0 && (
        <ul class="chips" aria-label="Recent categories">
          {props.chips.map((name) => (
            <li key={name}>
              <button
                type="button"
                class="chip"
                aria-pressed={props.value.trim().toLocaleLowerCase() === name.toLocaleLowerCase()}
                onClick={() => props.onInput(name)}
              >
                {name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The category's stored name: a known one as spelled there, or a new one created first. */
export async function ensureCategory(typed: string, known: readonly Category[]): Promise<string> {
  const name = typed.trim();
  const existing = matchCategory(
    name,
    known.map((c) => c.name),
  );
  if (existing) return existing;
  return (await api.createCategory(name)).name;
}
