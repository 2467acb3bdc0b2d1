import type { ComponentChildren, JSX } from "preact";
import { ScrollBox } from "./scroll-box";

export interface Column {
  readonly label: string;
  /** Numbers: right-aligned. */
  readonly num?: boolean;
  /** What the head shows instead of the label (a Select all box); the label then names it for screen readers. */
  readonly head?: ComponentChildren;
}

/** Loading… until `rows` is there, `empty` for none, else what `children` makes of the rows. */
export function Listed<T>(props: { rows: readonly T[] | null; empty: string; children: (rows: readonly T[]) => ComponentChildren }): JSX.Element {
  if (props.rows === null) return <p class="muted">Loading…</p>;
  if (props.rows.length === 0) return <p class="muted">{props.empty}</p>;
  return <>{props.children(props.rows)}</>;
}

/**
 * A list as a table (a Listed): Loading… until `rows` is there, `empty` for none, else a table with the
 * column heads, a last head for the rows' buttons (named for screen readers only), and a row per item.
 */
export function ListTable<T>(props: {
  rows: readonly T[] | null;
  empty: string;
  caption: string;
  /** Whether the caption shows (otherwise it names the table for screen readers only). */
  showCaption?: boolean;
  /** A wide table: its box scrolls sideways on a narrow screen, by keyboard too (a region named by the caption). */
  wide?: boolean;
  columns: readonly Column[];
  row: (item: T) => ComponentChildren;
}): JSX.Element {
  return (
    <Listed rows={props.rows} empty={props.empty}>
      {(rows) => {
        const table = (
          <table>
            <caption class={props.showCaption ? undefined : "visually-hidden"}>{props.caption}</caption>
            <thead>
              <tr>
                {props.columns.map((column) => (
                  <th key={column.label} scope="col" class={column.num ? "num" : undefined}>
                    {column.head ?? column.label}
                  </th>
                ))}
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>{rows.map(props.row)}</tbody>
          </table>
        );
        return props.wide ? <ScrollBox label={props.caption}>{table}</ScrollBox> : <div class="table-wrap">{table}</div>;
      }}
    </Listed>
  );
}
