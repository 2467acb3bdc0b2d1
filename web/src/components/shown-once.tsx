import type { ComponentChildren, JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

/**
 * A secret the API gives this once (an invitation code, an API token, a webhook's signing secret,
 * recovery codes): a read-only field, focused and selected, a Copy button, the warning that it
 * will not be shown again (`hint`, which describes the field), and Done to let it go.
 */
export function ShownOnce(props: {
  /** The ids of the box's heading, field and hint start with it. */
  id: string;
  heading: string;
  label: string;
  value: string;
  copyLabel: string;
  hint: ComponentChildren;
  /** Several lines (recovery codes): a textarea of that many rows. */
  rows?: number;
  onDone: () => void;
}): JSX.Element {
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState("");

  useEffect(() => {
    field.current?.focus();
    field.current?.select();
    setCopied("");
  }, [props.value]);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied("Copied.");
    } catch {
      // No clipboard API (plain HTTP on a LAN is not a secure context): copy the selection instead.
      field.current?.select();
      setCopied(document.execCommand("copy") ? "Copied." : "Select it and copy it (Ctrl+C).");
    }
  }

  const fieldId = `${props.id}-value`;
  const hintId = `${props.id}-hint`;
  return (
    <section class="card notice" aria-labelledby={`${props.id}-heading`}>
      <h3 id={`${props.id}-heading`}>{props.heading}</h3>
      <div class="field">
        <label for={fieldId}>{props.label}</label>
        {props.rows ? (
          <textarea id={fieldId} class="code" readOnly rows={props.rows} value={props.value} aria-describedby={hintId} spellcheck={false} />
        ) : (
          <input id={fieldId} class="code" readOnly value={props.value} aria-describedby={hintId} spellcheck={false} />
        )}
      </div>
      <p id={hintId} class="hint">
        {props.hint}
      </p>
      <div class="actions">
        <button type="button" onClick={() => void copy()}>
          {props.copyLabel}
        </button>
        <button type="button" class="secondary" onClick={props.onDone}>
          Done
        </button>
        <span role="status">{copied}</span>
      </div>
    </section>
  );
}
