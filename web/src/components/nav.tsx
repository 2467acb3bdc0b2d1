import type { JSX } from "preact";

export type Route = "/timer" | "/entries" | "/week" | "/reports" | "/import" | "/team" | "/admin" | "/account";

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

/** Everyone's own account: linked from the header beside the username, not from the main navigation. */
export const ACCOUNT_ROUTE: Route = "/account";

/** The routes this user may open, in the navigation's order (then Account). */
export function allowedRoutes(access: Access): Route[] {
  const main = ROUTES.map((r) => r.path).filter((path) => (path === "/team" ? access.team : path === "/admin" ? access.admin : true));
  return [...main, ACCOUNT_ROUTE];
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

/** A link to one of the app's routes that stays in the page (a modified click opens a new tab as usual). */
function followInApp(event: MouseEvent, path: Route): void {
  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(path);
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
      <a
        class="account-link"
        href={ACCOUNT_ROUTE}
        aria-current={props.route === ACCOUNT_ROUTE ? "page" : undefined}
        onClick={(event) => followInApp(event, ACCOUNT_ROUTE)}
      >
        Account
      </a>
      <button type="button" class="secondary" onClick={props.onLogOut}>
        Log out
      </button>
    </header>
  );
}
