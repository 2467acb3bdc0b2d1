import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { locale } from "../lib/format";
import { addDays, firstDayOfWeek, startOfDay, weekDays } from "../lib/time";

export interface Week {
  /** The seven local days, from the locale's first day of the week. */
  readonly days: readonly Date[];
  readonly start: Date;
  /** The local midnight after the last day (exclusive). */
  readonly end: Date;
  /** Shows the week holding `day`. */
  readonly show: (day: Date) => void;
}

/** The week on screen, starting as this week. */
export function useWeek(): Week {
  const [anchor, setAnchor] = useState(() => startOfDay(new Date()));
  const days = weekDays(anchor, firstDayOfWeek(locale()));
  const start = days[0] as Date;
  return { days, start, end: addDays(start, 7), show: setAnchor };
}

/** Previous week, this week, next week. */
export function WeekButtons(props: { week: Week; thisWeekLabel?: string }): JSX.Element {
  const { week } = props;
  return (
    <div class="actions">
      <button type="button" class="secondary" onClick={() => week.show(addDays(week.start, -7))}>
        Previous week
      </button>
      <button type="button" class="secondary" onClick={() => week.show(startOfDay(new Date()))}>
        {props.thisWeekLabel ?? "This week"}
      </button>
      <button type="button" class="secondary" onClick={() => week.show(addDays(week.start, 7))}>
        Next week
      </button>
    </div>
  );
}
