import type { ComponentChildren, InputHTMLAttributes, JSX, PartialInputHTMLAttributes, Ref } from "preact";

/** What TextField passes on to its input as given (type, autoComplete, required, maxLength, class…). */
type InputAttributes = Omit<PartialInputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onInput" | "ref" | "children" | "role" | "aria-describedby">;

/**
 * A labelled input in a `.field` box (text, password, URL, date…), with an optional hint under it
 * that describes it; the other attributes go to the input as they are.
 */
export function TextField(
  props: InputAttributes & {
    id: string;
    label: ComponentChildren;
    value: string;
    /** The typed text, on each change; without it the field only shows its value (readOnly). */
    onValue?: (value: string) => void;
    /** Shown under the field and describing it (aria-describedby). */
    hint?: ComponentChildren;
    /** The hint's id; `${id}-hint` unless given. */
    hintId?: string;
    /** More classes of the box besides `field` (`grow`, `totp`). */
    fieldClass?: string;
    inputRef?: Ref<HTMLInputElement>;
    /** The id of a datalist of suggestions. */
    list?: string;
  },
): JSX.Element {
  const { id, label, value, onValue, hint, hintId = `${id}-hint`, fieldClass, inputRef, ...input } = props;
  return (
    <div class={fieldClass ? `field ${fieldClass}` : "field"}>
      <label for={id}>{label}</label>
      <input
        // Preact types an input's attributes as a union keyed by `type` (and `role`): these are ones of it.
        {...(input as InputHTMLAttributes<HTMLInputElement>)}
        id={id}
        ref={inputRef}
        aria-describedby={hint ? hintId : undefined}
        value={value}
        onInput={onValue && ((e) => onValue(e.currentTarget.value))}
      />
      {hint && (
        <span id={hintId} class="hint">
          {hint}
        </span>
      )}
    </div>
  );
}
