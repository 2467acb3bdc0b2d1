import type { JSX } from "preact";

export type Route = "/timer" | "/entries" | "/week" | "/reports" | "/import" | "/team" | "/admin";

export const ROUTES: readonly { path: Route; label: string }[] = [
  { path: "/timer", label: "Timer" },
  { path: "/entries", label: "Entries" },
  { path: "/week", label: "Week" },
  { path: "/reports", label: "Reports" },
  { path: "/import", label: "Import" },
  { path: "/team", label: "Team" },
  { path: "/admin", label: "Admin" },
];

/** What the signed-in user may open: Team for leads and admins, Admin for admins. */
export interface Access {
  readonly team: boolean;
  readonly admin: boolean;
}

/** The routes this user may open, in the navigation's order. */
export function allowedRoutes(access: Access): Route[] {
  return ROUTES.map((r) => r.path).filter((path) => (path === "/team" ? access.team : path === "/admin" ? access.admin : true));
}

/** The app's route from the address bar ("/", and a route this user may not open, are the timer). */
export function currentRoute(allowed: readonly Route[] = ROUTES.map((r) => r.path)): Route {
  const path = location.pathname.replace(/\/+$/, "");
  return allowed.find((r) => r === path) ?? "/timer";
}

export function navigate(path: Route): void {
  if (location.pathname !== path) history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function Nav(props: { route: Route; allowed: readonly Route[]; username: string; onLogOut: () => void }): JSX.Element {
  return (
    <header class="top">
      <span class="brand">Time Tracker</span>
      <nav aria-label="Main">
        <ul>
          {ROUTES.filter((r) => props.allowed.includes(r.path)).map((r) => (
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
