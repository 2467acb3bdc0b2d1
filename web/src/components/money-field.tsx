import type { JSX } from "preact";
import { TextField } from "./text-field";

/** What a form says when a typed rate is not an amount. */
export const RATE_REFUSED = "Hourly rate: enter an amount such as 85.50, or leave it empty for none.";

/** An hourly rate typed as money ("85.50" or "85,50"), labelled with the currency, with a hint under it. */
export function RateField(props: { id: string; currency: string; value: string; onInput: (text: string) => void; hint?: string }): JSX.Element {
  return (
    <TextField
      id={props.id}
      label={`Hourly rate (${props.currency})`}
      inputMode="decimal"
      autoComplete="off"
      value={props.value}
      onValue={props.onInput}
      hint={`A decimal amount, such as 85.50; empty for ${props.hint ?? "no rate."}`}
    />
  );
}
