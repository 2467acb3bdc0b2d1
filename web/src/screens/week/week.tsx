import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, errorText, type Entry, type Me } from "../../api";
import { Timesheet } from "../../components/timesheet";
import { useWeek, WeekButtons } from "../../components/week-nav";
import { formatDayHeading, formatDayRange, formatTime } from "../../lib/format";
import { dayKey, splitAtMidnight, toApiInstant } from "../../lib/time";

/** A stable hue per category name, for its blocks. */
function hue(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return h;
}

/** Week: seven days from the locale's first day, entries as blocks split at midnight, and a timesheet. */
export function WeekScreen(props: { me: Me }): JSX.Element {
  const week = useWeek();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [now] = useState(() => new Date());
  const { days, start: weekStart, end: weekEnd } = week;

  useEffect(() => {
    document.title = "Week — Time Tracker";
    setError(null);
    api
      .entries(props.me.username, { from: toApiInstant(weekStart), to: toApiInstant(weekEnd) })
      .then(setEntries, (e: unknown) => setError(errorText(e)));
  }, [props.me.username, weekStart.getTime()]);

  const keys = days.map(dayKey);
  const pieces = entries.flatMap((entry) =>
    splitAtMidnight(new Date(entry.start_time), entry.end_time ? new Date(entry.end_time) : now)
      .filter((p) => keys.includes(p.day))
      .map((p) => ({ ...p, entry })),
  );
  const categories = [...new Set(pieces.map((p) => p.entry.category))].sort((a, b) => a.localeCompare(b));
  const cell = (category: string | null, day: string | null) =>
    pieces
      .filter((p) => (category === null || p.entry.category === category) && (day === null || p.day === day))
      .reduce((sum, p) => sum + (p.end.getTime() - p.start.getTime()) / 1000, 0);

  return (
    <section aria-labelledby="week-heading" class="screen">
      <div class="heading-row">
        <h1 id="week-heading">Week of {formatDayRange(weekStart, weekEnd)}</h1>
        <WeekButtons week={week} thisWeekLabel="Today" />
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="calendar card" role="group" aria-label="Calendar">
        {days.map((day) => {
          const key = dayKey(day);
          const dayPieces = pieces.filter((p) => p.day === key);
          return (
            <section key={key} class={`day${key === dayKey(now) ? " today" : ""}`} aria-label={formatDayHeading(day)}>
              <h2 class="day-heading">{formatDayHeading(day)}</h2>
              <ul class="day-track">
                {dayPieces.map((p) => (
                  <li
                    key={`${p.entry.id}-${p.day}`}
                    class="block"
                    style={{
                      top: `${(p.startMinute / 1440) * 100}%`,
                      height: `${Math.max(((p.endMinute - p.startMinute) / 1440) * 100, 1.5)}%`,
                      "--hue": String(hue(p.entry.category)),
                    }}
                  >
                    <span class="block-text">
                      {p.entry.category} {formatTime(p.start)}–{formatTime(p.end)}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      <Timesheet
        label="Timesheet"
        caption="Timesheet (h:mm)"
        rowHeading="Category"
        days={days}
        rows={categories.map((category) => ({ key: category, heading: category, seconds: (day: string | null) => cell(category, day) }))}
        empty="Nothing tracked this week."
        total={(day) => cell(null, day)}
      />
    </section>
  );
}
