import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, DEFAULT_CURRENCY, type GroupBy, type Me, type Project, type Summary, type SummaryGroup, type Team, type Whose } from "../../api";
import { HoursChart } from "../../components/chart";
import { ErrorAlert } from "../../components/error-alert";
import { ScrollBox } from "../../components/scroll-box";
import { isAdminRole, teamsToWatch } from "../../lib/access";
import { formatDayRange, locale, timeZone } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { addDays, dayKey, firstDayOfWeek, formatDuration, fromLocalInput, presetRange, toApiInstant, type Preset } from "../../lib/time";

const PRESETS: readonly { id: Preset; label: string }[] = [
  { id: "this-week", label: "This week" },
  { id: "last-week", label: "Last week" },
  { id: "this-month", label: "This month" },
  { id: "last-month", label: "Last month" },
  { id: "this-year", label: "This year" },
];

/** The groupings, in the Group by field's order; User only for those who see others' time. */
const GROUPS: readonly { id: GroupBy; label: string }[] = [
  { id: "category", label: "Category" },
  { id: "project", label: "Project" },
  { id: "client", label: "Client" },
  { id: "tag", label: "Tag" },
  { id: "user", label: "User" },
  { id: "day", label: "Day" },
  { id: "week", label: "Week" },
  { id: "month", label: "Month" },
];

/** What a group with no key (entries without a project, client or tag) is called. */
const NO_KEY: Partial<Record<GroupBy, string>> = { project: "No project", client: "No client", tag: "No tag" };

type Donut = "category" | "project";

/** Whose time, as the field holds it: "me", "all", or "team:<id>". */
function whoseParams(whose: string): Whose {
  if (whose === "all") return { all_users: true };
  if (whose.startsWith("team:")) return { team_id: Number(whose.slice(5)) };
  return {};
}

const keyText = (groupBy: GroupBy, key: string | null) => key ?? NO_KEY[groupBy] ?? "—";

/** The groups' colours when they are projects: a project's own (else the chart's), muted for "No project". */
function groupColours(groupBy: GroupBy, groups: readonly SummaryGroup[], projects: readonly Project[]): (string | null | undefined)[] | undefined {
  if (groupBy !== "project") return undefined;
  return groups.map((g) => (g.key === null ? null : (projects.find((p) => p.name === g.key)?.color ?? undefined)));
}

/**
 * Reports: time and what it earned by category, project, client, tag, user, day, week or month
 * over a range, for the user, a team they lead or (admins) everyone; a bar chart, a donut by
 * category or project, a table of the same numbers, and the user's own entries as CSV.
 */
export function ReportsScreen(props: { me: Me }): JSX.Element {
  const firstDay = firstDayOfWeek(locale());
  const initial = presetRange("this-week", new Date(), firstDay);
  const admin = isAdminRole(props.me.role);
  const [from, setFrom] = useState(dayKey(initial.from));
  const [to, setTo] = useState(dayKey(addDays(initial.to, -1)));
  const [groupBy, setGroupBy] = useState<GroupBy>("day");
  const [donut, setDonut] = useState<Donut>("category");
  const [teams, setTeams] = useState<Team[]>([]);
  const [projects, setProjects] = useState<Project[]>([]);
  const [whose, setWhose] = useState("me");
  const [summary, setSummary] = useState<Summary | null>(null);
  const [shares, setShares] = useState<Summary | null>(null);
  const [error, setError] = useState<unknown>(null);

  const fromDate = fromLocalInput(from);
  const toDate = fromLocalInput(to);
  const toExclusive = toDate ? addDays(toDate, 1) : null;
  const seesOthers = admin || teams.length > 0;

  useEffect(() => {
    api.teams().then((all) => setTeams(teamsToWatch(all, props.me.username, props.me.role)), setError);
    api.projects({ include_archived: true }).then(setProjects, setError);
  }, [props.me.username, props.me.role]);

  useEffect(() => {
    document.title = "Reports — Time Tracker";
    if (!fromDate || !toExclusive || toExclusive.getTime() <= fromDate.getTime()) {
      setError(new Error("From must be a day on or before To."));
      return;
    }
    setError(null);
    let current = true;
    const params = { from: toApiInstant(fromDate), to: toApiInstant(toExclusive), tz: timeZone(), ...whoseParams(whose) };
    Promise.all([api.summary({ ...params, group_by: groupBy }), api.summary({ ...params, group_by: donut })]).then(
      ([grouped, byDonut]) => {
        if (!current) return;
        setSummary(grouped);
        setShares(byDonut);
      },
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [from, to, groupBy, donut, whose]);

  const rangeText = fromDate && toExclusive ? formatDayRange(fromDate, toExclusive) : "";
  const team = teams.find((t) => whose === `team:${t.id}`);
  const whoseText = whose === "all" ? "everyone, " : team ? `team ${team.name}, ` : "";
  const groupLabel = GROUPS.find((g) => g.id === groupBy)?.label ?? groupBy;
  const chartLabel = `Hours by ${groupLabel.toLowerCase()}, ${whoseText}${rangeText}`;
  const groups = summary?.groups ?? [];
  const money = (cents: number) => formatMoney(cents, summary?.currency ?? DEFAULT_CURRENCY, locale());
  const csvHref =
    whose === "me" && fromDate && toExclusive
      ? api.csvUrl(props.me.username, { from: toApiInstant(fromDate), to: toApiInstant(toExclusive) })
      : undefined;

  return (
    <section aria-labelledby="reports-heading" class="screen">
      <h1 id="reports-heading">Reports</h1>
      <form class="filters card" aria-label="Report range" onSubmit={(e) => e.preventDefault()}>
        {seesOthers && (
          <div class="field">
            <label for="report-whose">Whose time</label>
            <select id="report-whose" value={whose} onChange={(e) => setWhose(e.currentTarget.value)}>
              <option value="me">Mine</option>
              {teams.map((t) => (
                <option key={t.id} value={`team:${t.id}`}>
                  Team {t.name}
                </option>
              ))}
              {admin && <option value="all">Everyone</option>}
            </select>
          </div>
        )}
        <div class="field">
          <label for="report-group">Group by</label>
          <select id="report-group" value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}>
            {GROUPS.filter((g) => g.id !== "user" || seesOthers).map((g) => (
              <option key={g.id} value={g.id}>
                {g.label}
              </option>
            ))}
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
        <div class="field">
          <label for="report-donut">Donut shows</label>
          <select id="report-donut" value={donut} onChange={(e) => setDonut(e.currentTarget.value as Donut)}>
            <option value="category">Categories</option>
            <option value="project">Projects</option>
          </select>
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
      <ErrorAlert error={error} />
      {summary && (
        <>
          <p class="total">
            <span>
              Total: <strong>{formatDuration(summary.total_seconds)}</strong>
            </span>
            <span>
              Billable: <strong>{formatDuration(summary.billable_seconds)}</strong>
            </span>
            <span>
              Amount: <strong>{money(summary.amount_cents)}</strong>
            </span>
            {csvHref && (
              <a class="button secondary small" href={csvHref} download={`time-entries-${from}-to-${to}.csv`}>
                Download CSV
              </a>
            )}
          </p>
          <div class="charts">
            <div class="card">
              <HoursChart
                kind="bar"
                label={chartLabel}
                labels={groups.map((g) => keyText(groupBy, g.key))}
                hours={groups.map((g) => g.seconds / 3600)}
                colours={groupColours(groupBy, groups, projects)}
              />
            </div>
            {shares && shares.groups.length > 0 && (
              <div class="card">
                <HoursChart
                  kind="doughnut"
                  label={`Share of hours by ${donut}, ${whoseText}${rangeText}`}
                  labels={shares.groups.map((g) => keyText(donut, g.key))}
                  hours={shares.groups.map((g) => g.seconds / 3600)}
                  colours={groupColours(donut, shares.groups, projects)}
                />
              </div>
            )}
          </div>
          <ScrollBox label="Report table" class="card">
            <table>
              <caption>{chartLabel}</caption>
              <thead>
                <tr>
                  <th scope="col">{groupLabel}</th>
                  <th scope="col" class="num">
                    Hours (h:mm)
                  </th>
                  <th scope="col" class="num">
                    Billable (h:mm)
                  </th>
                  <th scope="col" class="num">
                    Amount ({summary.currency})
                  </th>
                  <th scope="col" class="num">
                    Entries
                  </th>
                </tr>
              </thead>
              <tbody>
                {groups.length === 0 && (
                  <tr>
                    <td colSpan={5} class="muted">
                      Nothing tracked in this range.
                    </td>
                  </tr>
                )}
                {groups.map((g) => (
                  <tr key={g.key ?? "\u0000none"}>
                    <th scope="row">{keyText(groupBy, g.key)}</th>
                    <td class="num">{formatDuration(g.seconds)}</td>
                    <td class="num">{formatDuration(g.billable_seconds)}</td>
                    <td class="num">{money(g.amount_cents)}</td>
                    <td class="num">{g.entries}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td class="num">{formatDuration(summary.total_seconds)}</td>
                  <td class="num">{formatDuration(summary.billable_seconds)}</td>
                  <td class="num">{money(summary.amount_cents)}</td>
                  <td class="num" />
                </tr>
              </tfoot>
            </table>
          </ScrollBox>
        </>
      )}
    </section>
  );
}
