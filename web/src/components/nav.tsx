import type { JSX } from "preact";

export type Route = "/timer" | "/entries" | "/week" | "/reports";

export const ROUTES: readonly { path: Route; label: string }[] = [
  { path: "/timer", label: "Timer" },
  { path: "/entries", label: "Entries" },
  { path: "/week", label: "Week" },
  { path: "/reports", label: "Reports" },
];

/** The app's route from the address bar ("/" is the timer). */
export function currentRoute(): Route {
  const path = location.pathname.replace(/\/+$/, "");
  return ROUTES.find((r) => r.path === path)?.path ?? "/timer";
}

export function navigate(path: Route): void {
  if (location.pathname !== path) history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function Nav(props: { route: Route; username: string; onLogOut: () => void }): JSX.Element {
  return (
    <header class="top">
      <span class="brand">Time Tracker</span>
      <nav aria-label="Main">
        <ul>
          {ROUTES.map((r) => (
            <li key={r.path}>
              <a
                href={r.path}
                aria-current={props.route === r.path ? "page" : undefined}
                onClick={(event) => {
                  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  navigate(r.path);
                }}
              >
                {r.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <span class="who">{props.username}</span>
      <button type="button" class="secondary" onClick={props.onLogOut}>
        Log out
      </button>
    </header>
  );
}
