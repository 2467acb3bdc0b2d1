import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, errorText, type GroupBy, type Me, type Summary } from "../../api";
import { HoursChart } from "../../components/chart";
import { formatDayRange, locale, timeZone } from "../../lib/format";
import { addDays, dayKey, firstDayOfWeek, formatDuration, fromLocalInput, presetRange, toApiInstant, type Preset } from "../../lib/time";

const PRESETS: readonly { id: Preset; label: string }[] = [
  { id: "this-week", label: "This week" },
  { id: "last-week", label: "Last week" },
  { id: "this-month", label: "This month" },
  { id: "last-month", label: "Last month" },
  { id: "this-year", label: "This year" },
];

const GROUP_LABEL: Record<GroupBy, string> = { category: "category", day: "day", week: "week", month: "month" };

/** Reports: totals by category, day, week or month over a range, as a chart and a table, and a CSV download. */
export function ReportsScreen(props: { me: Me }): JSX.Element {
  const firstDay = firstDayOfWeek(locale());
  const initial = presetRange("this-week", new Date(), firstDay);
  const [from, setFrom] = useState(dayKey(initial.from));
  const [to, setTo] = useState(dayKey(addDays(initial.to, -1)));
  const [groupBy, setGroupBy] = useState<GroupBy>("day");
  const [summary, setSummary] = useState<Summary | null>(null);
  const [byCategory, setByCategory] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fromDate = fromLocalInput(from);
  const toDate = fromLocalInput(to);
  const toExclusive = toDate ? addDays(toDate, 1) : null;

  useEffect(() => {
    document.title = "Reports — Time Tracker";
    if (!fromDate || !toExclusive || toExclusive.getTime() <= fromDate.getTime()) {
      setError("From must be a day on or before To.");
      return;
    }
    setError(null);
    const range = { from: toApiInstant(fromDate), to: toApiInstant(toExclusive), tz: timeZone() };
    Promise.all([api.summary({ ...range, group_by: groupBy }), api.summary({ ...range, group_by: "category" })]).then(
      ([grouped, categories]) => {
        setSummary(grouped);
        setByCategory(categories);
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [from, to, groupBy]);

  const rangeText = fromDate && toExclusive ? formatDayRange(fromDate, toExclusive) : "";
  const chartLabel = `Hours by ${GROUP_LABEL[groupBy]}, ${rangeText}`;
  const groups = summary?.groups ?? [];
  const csvHref =
    fromDate && toExclusive ? api.csvUrl(props.me.username, { from: toApiInstant(fromDate), to: toApiInstant(toExclusive) }) : undefined;

  return (
    <section aria-labelledby="reports-heading" class="screen">
      <h1 id="reports-heading">Reports</h1>
      <form class="filters card" aria-label="Report range" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="report-group">Group by</label>
          <select id="report-group" value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}>
            <option value="category">Category</option>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div class="field">
          <label for="report-from">From</label>
          <input id="report-from" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="report-to">To</label>
          <input id="report-to" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="presets" role="group" aria-label="Presets">
          {PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              class="secondary small"
              onClick={() => {
                const range = presetRange(p.id, new Date(), firstDay);
                setFrom(dayKey(range.from));
                setTo(dayKey(addDays(range.to, -1)));
              }}
            >
              {p.label}
            </button>
          ))}
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {summary && (
        <>
          <p class="total">
            Total: <strong>{formatDuration(summary.total_seconds)}</strong>
            {csvHref && (
              <a class="button secondary small" href={csvHref} download={`time-entries-${from}-to-${to}.csv`}>
                Download CSV
              </a>
            )}
          </p>
          <div class="charts">
            <div class="card">
              <HoursChart kind="bar" label={chartLabel} labels={groups.map((g) => g.key)} hours={groups.map((g) => g.seconds / 3600)} />
            </div>
            {byCategory && byCategory.groups.length > 0 && (
              <div class="card">
                <HoursChart
                  kind="doughnut"
                  label={`Share of hours by category, ${rangeText}`}
                  labels={byCategory.groups.map((g) => g.key)}
                  hours={byCategory.groups.map((g) => g.seconds / 3600)}
                />
              </div>
            )}
          </div>
          <div class="table-wrap card">
            <table>
              <caption>{chartLabel}</caption>
              <thead>
                <tr>
                  <th scope="col">{GROUP_LABEL[groupBy][0]?.toUpperCase() + GROUP_LABEL[groupBy].slice(1)}</th>
                  <th scope="col" class="num">
                    Hours (h:mm)
                  </th>
                  <th scope="col" class="num">
                    Entries
                  </th>
                </tr>
              </thead>
              <tbody>
                {groups.length === 0 && (
                  <tr>
                    <td colSpan={3} class="muted">
                      Nothing tracked in this range.
                    </td>
                  </tr>
                )}
                {groups.map((g) => (
                  <tr key={g.key}>
                    <th scope="row">{g.key}</th>
                    <td class="num">{formatDuration(g.seconds)}</td>
                    <td class="num">{g.entries}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td class="num">{formatDuration(summary.total_seconds)}</td>
                  <td class="num" />
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
