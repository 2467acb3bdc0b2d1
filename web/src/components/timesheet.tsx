import type { ComponentChildren, JSX } from "preact";
import { formatDayHeading } from "../lib/format";
import { dayKey, formatDuration } from "../lib/time";
import { ScrollBox } from "./scroll-box";

/** One row of a timesheet: its seconds on a day (a YYYY-MM-DD key) and in all (null), or why it has none. */
export type TimesheetRow = { readonly key: string; readonly heading: ComponentChildren } & (
  | { readonly seconds: (day: string | null) => number }
  | { readonly problem: ComponentChildren }
);

/**
 * A week as a table (h:mm): a row per thing (a category, a member), a column per day and a
 * Total, and a Total row. A day with nothing is left blank; totals are always written.
 */
export function Timesheet(props: {
  label: string;
  caption: ComponentChildren;
  rowHeading: string;
  days: readonly Date[];
  rows: readonly TimesheetRow[];
  /** What the body says while there are no rows. */
  empty: string;
  total: (day: string | null) => number;
}): JSX.Element {
  const keys = props.days.map(dayKey);
  const columns = keys.length + 1;
  return (
    <ScrollBox label={props.label} class="card">
      <table class="timesheet">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.rowHeading}</th>
            {props.days.map((day) => (
              <th scope="col" key={dayKey(day)} class="num">
                {formatDayHeading(day)}
              </th>
            ))}
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 && (
            <tr>
              <td colSpan={columns + 1} class="muted">
                {props.empty}
              </td>
            </tr>
          )}
          {props.rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.heading}</th>
              {"seconds" in row ? (
                <>
                  {keys.map((key) => (
                    <td key={key} class="num">
                      {row.seconds(key) > 0 ? formatDuration(row.seconds(key)) : ""}
                    </td>
                  ))}
                  <td class="num">{formatDuration(row.seconds(null))}</td>
                </>
              ) : (
                <td colSpan={columns}>{row.problem}</td>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            {keys.map((key) => (
              <td key={key} class="num">
                {formatDuration(props.total(key))}
              </td>
            ))}
            <td class="num">{formatDuration(props.total(null))}</td>
          </tr>
        </tfoot>
      </table>
    </ScrollBox>
  );
}
