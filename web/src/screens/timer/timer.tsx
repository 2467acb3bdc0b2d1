import type { JSX } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, type Category, type DailyTarget, type Entry, type Me, type Project } from "../../api";
import { CategoryField, ensureCategory } from "../../components/category-field";
import { ExtrasFields, useExtras } from "../../components/entry-extras";
import { ErrorAlert } from "../../components/error-alert";
import { submitTo } from "../../components/form-actions";
import { TagList } from "../../components/tag-list";
import { categoriesByRecentUse } from "../../lib/categories";
import { entryProjectLabel } from "../../lib/projects";
import { formatTime } from "../../lib/format";
import { secondsOnDayByCategory } from "../../lib/targets";
import { addDays, elapsedSeconds, formatDuration, formatElapsed, secondsByDay, dayKey, startOfDay, toApiInstant } from "../../lib/time";
import { DailyTargets } from "./targets";

/** Whether a key press belongs to a field or control (then Space and n are theirs, not ours). */
function inControl(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON|A|SUMMARY)$/.test(target.tagName));
}

/** The timer: it lives on the server (a running entry), so it survives reloads and other devices. */
export function TimerScreen(props: { me: Me }): JSX.Element {
  const [categories, setCategories] = useState<Category[]>([]);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [category, setCategory] = useState("");
  const [note, setNote] = useState("");
  const [projects, setProjects] = useState<Project[]>([]);
  const [tagNames, setTagNames] = useState<string[]>([]);
  const [targets, setTargets] = useState<DailyTarget[]>([]);
  const extras = useExtras(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => new Date());
  const categoryInput = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    const today = startOfDay(new Date());
    const [cats, recent, open, tags, daily] = await Promise.all([
      api.categories(),
      api.entries(props.me.username, { from: toApiInstant(addDays(today, -30)), to: toApiInstant(addDays(today, 2)) }),
      api.projects(),
      api.tags(),
      api.dailyTargets(),
    ]);
    setTargets(daily);
    setCategories(cats);
    setEntries(recent);
    setProjects(open);
    setTagNames(tags.map((t) => t.name));
  }, [props.me.username]);

  useEffect(() => {
    load().catch(setError);
  }, [load]);

  const running = entries.find((e) => e.end_time === null) ?? null;

  useEffect(() => {
    if (!running) {
      document.title = "Timer — Time Tracker";
      return;
    }
    const tick = () => setNow(new Date());
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [running?.id]);

  const elapsed = running ? formatElapsed(elapsedSeconds(new Date(running.start_time), now)) : "";
  useEffect(() => {
    if (running) document.title = `${elapsed} ${running.category} — Time Tracker`;
  }, [elapsed, running?.category]);

  async function start(): Promise<void> {
    if (busy || running) return;
    if (category.trim() === "") {
      setError(new Error("Choose or type a category first."));
      categoryInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const name = await ensureCategory(category, categories);
      const { project_id, tags, billable } = extras.values(tagNames);
      const entry = await api.createEntry({
        category: name,
        start_time: toApiInstant(new Date()),
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(project_id === null ? {} : { project_id }),
        ...(tags.length > 0 ? { tags } : {}),
        billable,
      });
      setNow(new Date());
      setEntries((list) => [...list, entry]);
      if (extras.draft.trim() !== "") extras.addDraft(tagNames);
      if (!categories.some((c) => c.name === name)) setCategories(await api.categories());
      if (tags.some((tag) => !tagNames.includes(tag))) setTagNames((await api.tags()).map((t) => t.name));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function stop(): Promise<void> {
    if (busy || !running) return;
    setBusy(true);
    setError(null);
    try {
      const stopped = await api.stopEntry(running.id);
      setEntries((list) => list.map((e) => (e.id === stopped.id ? stopped : e)));
      setNote("");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  // Keyboard: Space starts or stops when no field has focus; n goes to a new entry's category.
  const toggle = useRef<() => void>(() => {});
  toggle.current = () => void (running ? stop() : start());
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || inControl(event.target)) return;
      if (event.key === " ") {
        event.preventDefault();
        toggle.current();
      } else if (event.key === "n") {
        event.preventDefault();
        categoryInput.current?.focus();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  const todayKey = dayKey(now);
  const today = entries.filter((e) => {
    const start = new Date(e.start_time);
    const end = e.end_time ? new Date(e.end_time) : now;
    return secondsByDay(start, end).has(todayKey);
  });
  const todayTotal = today.reduce((sum, e) => {
    const end = e.end_time ? new Date(e.end_time) : now;
    return sum + (secondsByDay(new Date(e.start_time), end).get(todayKey) ?? 0);
  }, 0);
  const chips = categoriesByRecentUse(entries, categories.map((c) => c.name)).slice(0, 8);

  return (
    <section aria-labelledby="timer-heading" class="screen">
      <h1 id="timer-heading">Timer</h1>
      <div class="card timer-card">
        {running ? (
          <div class="running">
            <p class="running-category">{running.category}</p>
            {running.project && <p class="muted">{entryProjectLabel(running)}</p>}
            <p role="timer" aria-live="off" aria-label={`Elapsed time on ${running.category}`} class="clock">
              {elapsed}
            </p>
            {running.note && <p class="muted">{running.note}</p>}
            {running.tags.length > 0 && <TagList tags={running.tags} />}
            <button type="button" class="big stop" onClick={() => void stop()} disabled={busy} aria-keyshortcuts="Space">
              Stop
            </button>
          </div>
        ) : (
          <form onSubmit={submitTo(start)}>
            <CategoryField
              id="timer-category"
              value={category}
              onInput={setCategory}
              categories={categories.map((c) => c.name)}
              chips={chips}
              inputRef={categoryInput}
            />
            <ExtrasFields idPrefix="timer" extras={extras} projects={projects} knownTags={tagNames} />
            <div class="field">
              <label for="timer-note">Note</label>
              <input id="timer-note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            </div>
            <button type="submit" class="big" disabled={busy} aria-keyshortcuts="Space">
              Start
            </button>
            <p class="hint">Space starts and stops the timer when no field has focus; n goes to the category.</p>
          </form>
        )}
        <ErrorAlert error={error} />
      </div>
      <DailyTargets categories={categories} targets={targets} spent={secondsOnDayByCategory(entries, todayKey, now)} onSaved={setTargets} />
      <section aria-labelledby="today-heading" class="card">
        <h2 id="today-heading">Today: {formatDuration(todayTotal)}</h2>
        {today.length === 0 ? (
          <p class="muted">Nothing tracked today yet.</p>
        ) : (
          <ul class="sessions">
            {today.map((e) => (
              <li key={e.id}>
                <span>
                  {e.category}
                  {e.project && <span class="muted"> · {entryProjectLabel(e)}</span>}
                </span>
                <span class="muted">
                  {formatTime(new Date(e.start_time))}–{e.end_time ? formatTime(new Date(e.end_time)) : "now"}
                </span>
                <span class="num">
                  {formatDuration(elapsedSeconds(new Date(e.start_time), e.end_time ? new Date(e.end_time) : now))}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

