import type { JSX } from "preact";

/** What a form says when a typed rate is not an amount. */
export const RATE_REFUSED = "Hourly rate: enter an amount such as 85.50, or leave it empty for none.";

/** An hourly rate typed as money ("85.50" or "85,50"), labelled with the currency, with a hint under it. */
export function RateField(props: { id: string; currency: string; value: string; onInput: (text: string) => void; hint?: string }): JSX.Element {
  return (
    <div class="field">
      <label for={props.id}>Hourly rate ({props.currency})</label>
      <input
        id={props.id}
        inputMode="decimal"
        autoComplete="off"
        aria-describedby={`${props.id}-hint`}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <span id={`${props.id}-hint`} class="hint">
        A decimal amount, such as 85.50; empty for {props.hint ?? "no rate."}
      </span>
    </div>
  );
}
