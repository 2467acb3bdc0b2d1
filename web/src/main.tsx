import { render, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, whenSignedOut, type Me } from "./api";
import { allowedRoutes, currentRoute, Nav, type Access } from "./components/nav";
import { isAdminRole, teamsToWatch } from "./lib/access";
import { AccountScreen } from "./screens/account/account";
import { AdminScreen } from "./screens/admin/admin";
import { EntriesScreen } from "./screens/entries/entries";
import { ImportScreen } from "./screens/import/import";
import { LoginScreen } from "./screens/login/login";
import { ReportsScreen } from "./screens/reports/reports";
import { TeamScreen } from "./screens/team/team";
import { TimerScreen } from "./screens/timer/timer";
import { WeekScreen } from "./screens/week/week";
import "./styles.css";

/** Admin for owners and admins; Team for them and for anyone who leads a team (GET /teams). */
async function accessOf(me: Me): Promise<Access> {
  if (isAdminRole(me.role)) return { team: true, admin: true };
  return { team: teamsToWatch(await api.teams(), me.username, me.role).length > 0, admin: false };
}

function App(): JSX.Element {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [access, setAccess] = useState<Access | undefined>(undefined);
  const [, setPath] = useState(location.pathname);

  useEffect(() => {
    whenSignedOut(() => setMe(null));
    api.me().then(setMe, () => setMe(null));
    const onPop = () => setPath(location.pathname);
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    if (!me) {
      setAccess(undefined);
      if (me === null) document.title = "Time Tracker";
      return;
    }
    // Without the teams, the user still has every screen that needs no role.
    accessOf(me).then(setAccess, () => setAccess({ team: false, admin: false }));
  }, [me]);

  if (me === undefined || (me !== null && access === undefined)) return <main id="main" aria-busy="true" />;
  if (me === null || access === undefined) return <LoginScreen onSignedIn={setMe} />;

  const allowed = allowedRoutes(access);
  const route = currentRoute(allowed);

  async function logOut(): Promise<void> {
    try {
      await api.logOut();
    } finally {
      setMe(null);
    }
  }

  return (
    <>
      <Nav route={route} allowed={allowed} username={me.username} onLogOut={() => void logOut()} />
      <main id="main">
        {route === "/timer" && <TimerScreen me={me} />}
        {route === "/entries" && <EntriesScreen me={me} />}
        {route === "/week" && <WeekScreen me={me} />}
        {route === "/reports" && <ReportsScreen me={me} />}
        {route === "/import" && <ImportScreen />}
        {route === "/team" && <TeamScreen me={me} />}
        {route === "/admin" && <AdminScreen me={me} onSelfChanged={() => void api.me().then(setMe)} />}
        {route === "/account" && <AccountScreen me={me} onSelfChanged={() => void api.me().then(setMe)} onDeleted={() => setMe(null)} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app") as HTMLElement);
