import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { Entry, EntryExtras, Project } from "../api";
import { choosableProjects, projectLabel } from "../lib/projects";
import { addTags, MAX_TAGS, removeTag, sameTags, tagSuggestions } from "../lib/tags";
import { CheckField } from "./check-field";

/** What a form holds of an entry's project, tags and billable, and what changes them. */
export interface Extras {
  readonly projectId: number | null;
  readonly tags: readonly string[];
  /** What is typed in the Tags field and not yet a chip. */
  readonly draft: string;
  readonly billable: boolean;
  /** Why the last typed tag was not added. */
  readonly tagProblem: string | null;
  /** Chooses a project; Billable follows the project's default (off without one). */
  readonly chooseProject: (id: number | null, projects: readonly Project[]) => void;
  readonly setBillable: (billable: boolean) => void;
  readonly setDraft: (text: string) => void;
  /** Makes chips of the typed text (split at commas). */
  readonly addDraft: (known: readonly string[], text?: string) => void;
  readonly removeTag: (name: string) => void;
  /** The values to send: the tags with what is still typed in the field. */
  readonly values: (known: readonly string[]) => EntryExtras;
}

/** An entry form's project, tags and billable, starting as `entry`'s (or none, not billable). */
export function useExtras(entry: Entry | null): Extras {
  const [projectId, setProjectId] = useState<number | null>(entry?.project_id ?? null);
  const [tags, setTags] = useState<readonly string[]>(entry?.tags ?? []);
  const [draft, setDraft] = useState("");
  const [billable, setBillable] = useState(entry?.billable ?? false);
  const [tagProblem, setTagProblem] = useState<string | null>(null);
  return {
    projectId,
    tags,
    draft,
    billable,
    tagProblem,
    chooseProject(id, projects) {
      setProjectId(id);
      setBillable(id === null ? false : (projects.find((p) => p.id === id)?.billable ?? false));
    },
    setBillable,
    setDraft,
    addDraft(known, text = draft) {
      const added = addTags(tags, text, known);
      setTags(added.tags);
      setTagProblem(added.problem);
      setDraft("");
    },
    removeTag(name) {
      setTags(removeTag(tags, name));
      setTagProblem(null);
    },
    values: (known) => ({ project_id: projectId, tags: addTags(tags, draft, known).tags, billable }),
  };
}

/** What an edit changes of `entry`'s extras (Billable is sent with a new project, so it is what the form showed). */
export function extrasChanges(entry: Entry, values: EntryExtras): Partial<EntryExtras> {
  const projectChanged = values.project_id !== entry.project_id;
  return {
    ...(projectChanged ? { project_id: values.project_id } : {}),
    ...(sameTags(values.tags, entry.tags) ? {} : { tags: values.tags }),
    ...(projectChanged || values.billable !== entry.billable ? { billable: values.billable } : {}),
  };
}

/**
 * The fields Project (the projects not archived, each with its client), Billable (following the
 * project) and Tags (typed names become chips; Enter or a comma adds one; the known tags are
 * suggested), with ids starting `idPrefix`.
 */
export function ExtrasFields(props: {
  idPrefix: string;
  extras: Extras;
  projects: readonly Project[];
  knownTags: readonly string[];
  /** The entry's own project, offered even when archived. */
  currentProjectId?: number | null;
}): JSX.Element {
  const { extras, idPrefix: id } = props;
  const choosable = choosableProjects(props.projects, props.currentProjectId ?? null);
  const suggestions = tagSuggestions(props.knownTags, extras.tags, "", props.knownTags.length);
  return (
    <>
      <div class="field-row">
        <div class="field grow">
          <label for={`${id}-project`}>Project</label>
          <select
            id={`${id}-project`}
            value={extras.projectId ?? ""}
            onChange={(e) => extras.chooseProject(e.currentTarget.value === "" ? null : Number(e.currentTarget.value), props.projects)}
          >
            <option value="">No project</option>
            {choosable.map((p) => (
              <option key={p.id} value={p.id}>
                {projectLabel(p)}
                {p.archived ? " (archived)" : ""}
              </option>
            ))}
          </select>
        </div>
        <CheckField id={`${id}-billable`} label="Billable" checked={extras.billable} onChange={extras.setBillable} />
      </div>
      <div class="field">
        <label for={`${id}-tags`}>Tags</label>
        {extras.tags.length > 0 && (
          <ul class="chips tag-chips">
            {extras.tags.map((tag) => (
              <li key={tag} class="tag-chip">
                <span>{tag}</span>
                <button type="button" class="chip-remove" aria-label={`Remove tag ${tag}`} onClick={() => extras.removeTag(tag)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <input
          id={`${id}-tags`}
          list={`${id}-tags-options`}
          autoComplete="off"
          maxLength={1000}
          aria-describedby={`${id}-tags-hint`}
          disabled={extras.tags.length >= MAX_TAGS}
          value={extras.draft}
          onInput={(e) => {
            const text = e.currentTarget.value;
            // A suggestion picked from the list, or a comma typed, makes the chip at once.
            const picked = (e as InputEvent).inputType === "insertReplacementText" || (e as InputEvent).inputType === undefined;
            if (text.includes(",") || (picked && props.knownTags.includes(text))) extras.addDraft(props.knownTags, text);
            else extras.setDraft(text);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && extras.draft.trim() !== "") {
              e.preventDefault();
              extras.addDraft(props.knownTags);
            } else if (e.key === "Backspace" && extras.draft === "" && extras.tags.length > 0) {
              extras.removeTag(extras.tags[extras.tags.length - 1] as string);
            }
          }}
        />
        <datalist id={`${id}-tags-options`}>
          {suggestions.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <span id={`${id}-tags-hint`} class="hint" aria-live="polite">
          {extras.tagProblem ?? `Enter or a comma adds a tag (${extras.tags.length} of ${MAX_TAGS}).`}
        </span>
      </div>
    </>
  );
}
