import { render, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, whenSignedOut, type Me } from "./api";
import { currentRoute, Nav, type Route } from "./components/nav";
import { EntriesScreen } from "./screens/entries/entries";
import { LoginScreen } from "./screens/login/login";
import { ReportsScreen } from "./screens/reports/reports";
import { TimerScreen } from "./screens/timer/timer";
import { WeekScreen } from "./screens/week/week";
import "./styles.css";

function App(): JSX.Element {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [route, setRoute] = useState<Route>(currentRoute());

  useEffect(() => {
    whenSignedOut(() => setMe(null));
    api.me().then(setMe, () => setMe(null));
    const onPop = () => setRoute(currentRoute());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    if (me === null) document.title = "Time Tracker";
  }, [me]);

  if (me === undefined) return <main id="main" aria-busy="true" />;
  if (me === null) return <LoginScreen onSignedIn={setMe} />;

  async function logOut(): Promise<void> {
    try {
      await api.logOut();
    } finally {
      setMe(null);
    }
  }

  return (
    <>
      <Nav route={route} username={me.username} onLogOut={() => void logOut()} />
      <main id="main">
        {route === "/timer" && <TimerScreen me={me} />}
        {route === "/entries" && <EntriesScreen me={me} />}
        {route === "/week" && <WeekScreen me={me} />}
        {route === "/reports" && <ReportsScreen me={me} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app") as HTMLElement);
