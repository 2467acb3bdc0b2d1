import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Entry, type Me, type Team } from "../../api";
import { ErrorAlert } from "../../components/error-alert";
import { Timesheet } from "../../components/timesheet";
import { useWeek, WeekButtons } from "../../components/week-nav";
import { teamsToWatch } from "../../lib/access";
import { formatDayRange } from "../../lib/format";
import { dayKey, secondsOnDays, toApiInstant } from "../../lib/time";

/** One member's week: seconds per day, or why it could not be read. */
type MemberWeek = { readonly username: string; readonly lead: boolean } & (
  | { readonly days: Map<string, number>; readonly total: number }
  | { readonly error: unknown }
);

async function memberWeek(member: Team["members"][number], from: Date, to: Date, keys: readonly string[]): Promise<MemberWeek> {
  try {
    const entries: Entry[] = await api.entries(member.username, { from: toApiInstant(from), to: toApiInstant(to) });
    const now = new Date();
    const days = secondsOnDays(
      entries.map((e) => ({ start: new Date(e.start_time), end: e.end_time ? new Date(e.end_time) : now })),
      keys,
    );
    return { ...member, days, total: [...days.values()].reduce((a, b) => a + b, 0) };
  } catch (error) {
    return { ...member, error };
  }
}

/** Team: for a team the user leads (any team, for an admin), each member's hours in a week, per day. */
export function TeamScreen(props: { me: Me }): JSX.Element {
  const week = useWeek();
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [teamId, setTeamId] = useState<number | null>(null);
  const [rows, setRows] = useState<MemberWeek[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const keys = week.days.map(dayKey);
  const team = teams?.find((t) => t.id === teamId) ?? null;

  useEffect(() => {
    document.title = "Team — Time Tracker";
    api.teams().then((all) => {
      const mine = teamsToWatch(all, props.me.username, props.me.role);
      setTeams(mine);
      setTeamId(mine[0]?.id ?? null);
    }, setError);
  }, [props.me.username, props.me.role]);

  useEffect(() => {
    if (!team) return;
    let current = true;
    setRows(null);
    void Promise.all(team.members.map((m) => memberWeek(m, week.start, week.end, keys))).then((weeks) => {
      if (current) setRows(weeks);
    });
    return () => {
      current = false;
    };
  }, [team, week.start.getTime()]);

  const sum = (key: string | null) =>
    (rows ?? []).reduce((total, row) => total + ("days" in row ? (key === null ? row.total : (row.days.get(key) ?? 0)) : 0), 0);

  return (
    <section aria-labelledby="team-heading" class="screen">
      <div class="heading-row">
        <h1 id="team-heading">Team</h1>
        <WeekButtons week={week} />
      </div>
      <ErrorAlert error={error} />
      {teams !== null && teams.length === 0 && (
        <p class="muted">{props.me.role === "member" ? "You lead no team." : "There are no teams yet: create one under Admin, Teams."}</p>
      )}
      {teams !== null && teams.length > 0 && (
        <form class="filters card" aria-label="Choose a team" onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for="team-choice">Team</label>
            <select id="team-choice" value={teamId ?? ""} onChange={(e) => setTeamId(Number(e.currentTarget.value))}>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        </form>
      )}
      {team && (
        <Timesheet
          label="Team timesheet"
          caption={`${team.name}, week of ${formatDayRange(week.start, week.end)} (h:mm)`}
          rowHeading="Member"
          days={week.days}
          rows={(rows ?? []).map((row) => ({
            key: row.username,
            heading: (
              <>
                {row.username}
                {row.lead && <span class="muted"> (lead)</span>}
              </>
            ),
            ...("days" in row
              ? { seconds: (day: string | null) => (day === null ? row.total : (row.days.get(day) ?? 0)) }
              : { problem: <ErrorAlert error={row.error} /> }),
          }))}
          empty={team.members.length === 0 ? "This team has no members yet." : "Loading…"}
          total={sum}
        />
      )}
    </section>
  );
}
