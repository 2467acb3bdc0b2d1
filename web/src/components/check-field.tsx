import type { ComponentChildren, JSX } from "preact";

/** A labelled checkbox, with an optional hint under it that describes it. */
export function CheckField(props: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  hint?: ComponentChildren;
}): JSX.Element {
  const hintId = `${props.id}-hint`;
  return (
    <div class="field check">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={props.hint ? hintId : undefined}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <span id={hintId} class="hint">
          {props.hint}
        </span>
      )}
    </div>
  );
}
