import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from "tsyringe";
import { Argon2PasswordHasher } from "./adapters/security/argon2-password-hasher.js";
import { RandomTokenGenerator } from "./adapters/security/random-token-generator.js";
import { SystemClock } from "./adapters/system/system-clock.js";
import type { UseCases } from "./adapters/http/use-cases.js";
import { Authenticate } from "./application/authenticate.js";
import { CreateClient, CreateProject, ListClients, ListProjects, UpdateClient, UpdateProject } from "./application/catalog.js";
import { CheckHealth } from "./application/check-health.js";
import { CreateCategory } from "./application/create-category.js";
import { DeleteTimeEntry } from "./application/delete-time-entry.js";
import { ExportEntries } from "./application/export-entries.js";
import { GetMe } from "./application/get-me.js";
import { GetTimeEntry } from "./application/get-time-entry.js";
import {
  CreateTeam,
  DeleteTeam,
  GetTeam,
  ListTeams,
  RemoveTeamMember,
  RenameTeam,
  SetTeamMember,
} from "./application/teams.js";
import { ListCategories } from "./application/list-categories.js";
import { ListEntries } from "./application/list-entries.js";
import { ListUsers } from "./application/list-users.js";
import { LogIn } from "./application/log-in.js";
import { LogOut } from "./application/log-out.js";
import { LogTimeEntry } from "./application/log-time-entry.js";
import { PurgeExpiredSessions } from "./application/purge-expired-sessions.js";
import { RegisterUser } from "./application/register-user.js";
import { UpdateUser } from "./application/update-user.js";
import { CreateInvitation, DeleteInvitation, ListInvitations } from "./application/invitations.js";
import { StopTimer } from "./application/stop-timer.js";
import { SummarizeTime } from "./application/summarize-time.js";
import { UpdateTimeEntry } from "./application/update-time-entry.js";
import { GetSettings, ListTags, UpdateSettings } from "./application/settings.js";
import { GetPreferences, UpdatePreferences } from "./application/preferences.js";
import { CountedLoginThrottle, LimitRegistrations, PurgeExpiredAttempts } from "./application/attempt-limits.js";
import type { Store } from "./application/ports/store.js";
import type { Config } from "./config.js";
import { port, TOKENS, type Ports } from "./tokens.js";

/** Ports a test (or a deployment) may replace: a fixed clock, a cheap hasher. */
export type Overrides = Partial<Pick<Ports, "clock" | "passwordHasher" | "tokenGenerator" | "loginThrottle">>;

/**
 * The composition root: the only place that knows every piece. Each call makes a fresh child
 * container, so apps built side by side (one per test file) share nothing.
 */
export function buildContainer(config: Config, store: Store, overrides: Overrides = {}): DependencyContainer {
  const c = rootContainer.createChildContainer();
  c.register(TOKENS.config, { useValue: config });
  c.register(TOKENS.store, { useValue: store });
  c.register(TOKENS.clock, { useValue: overrides.clock ?? new SystemClock() });
  c.register(TOKENS.passwordHasher, { useValue: overrides.passwordHasher ?? new Argon2PasswordHasher() });
  c.register(TOKENS.tokenGenerator, { useValue: overrides.tokenGenerator ?? new RandomTokenGenerator() });
  c.register(TOKENS.loginThrottle, {
    useValue: overrides.loginThrottle ?? new CountedLoginThrottle(store.attempts, config.rateLimit.loginFailures),
  });

  const store_ = (d: DependencyContainer) => port(d, "store");
  const once = <T>(make: (d: DependencyContainer) => T) => ({ useFactory: instanceCachingFactory(make) });

  c.register(
    RegisterUser,
    once(
      (d) =>
        new RegisterUser(
          store_(d).transactor,
          port(d, "passwordHasher"),
          port(d, "tokenGenerator"),
          port(d, "clock"),
          port(d, "config").registration,
        ),
    ),
  );
  c.register(UpdateUser, once((d) => new UpdateUser(store_(d).transactor)));
  c.register(
    CreateInvitation,
    once((d) => new CreateInvitation(store_(d).invitations, port(d, "tokenGenerator"), port(d, "clock"))),
  );
  c.register(ListInvitations, once((d) => new ListInvitations(store_(d).invitations, port(d, "clock"))));
  c.register(DeleteInvitation, once((d) => new DeleteInvitation(store_(d).invitations)));
  c.register(
    LogIn,
    once(
      (d) =>
        new LogIn(
          store_(d).users,
          store_(d).sessions,
          port(d, "passwordHasher"),
          port(d, "tokenGenerator"),
          port(d, "clock"),
          port(d, "config").sessionTtlSeconds,
          port(d, "loginThrottle"),
        ),
    ),
  );
  c.register(LogOut, once((d) => new LogOut(store_(d).sessions, port(d, "tokenGenerator"))));
  c.register(Authenticate, once((d) => new Authenticate(store_(d).sessions, port(d, "tokenGenerator"), port(d, "clock"))));
  c.register(GetMe, once((d) => new GetMe(store_(d).users)));
  c.register(ListUsers, once((d) => new ListUsers(store_(d).users)));
  c.register(CreateCategory, once((d) => new CreateCategory(store_(d).categories)));
  c.register(ListCategories, once((d) => new ListCategories(store_(d).categories)));
  c.register(
    LogTimeEntry,
    once(
      (d) =>
        new LogTimeEntry(store_(d).categories, store_(d).projects, store_(d).settings, store_(d).transactor, port(d, "clock")),
    ),
  );
  c.register(StopTimer, once((d) => new StopTimer(store_(d).settings, store_(d).transactor, port(d, "clock"))));
  c.register(GetTimeEntry, once((d) => new GetTimeEntry(store_(d).entries, store_(d).users, store_(d).teams)));
  c.register(
    UpdateTimeEntry,
    once((d) => new UpdateTimeEntry(store_(d).categories, store_(d).settings, store_(d).transactor, port(d, "clock"))),
  );
  c.register(DeleteTimeEntry, once((d) => new DeleteTimeEntry(store_(d).settings, store_(d).transactor)));
  c.register(
    ListEntries,
    once((d) => new ListEntries(store_(d).users, store_(d).categories, store_(d).entries, store_(d).teams, store_(d).tags)),
  );
  c.register(
    ExportEntries,
    once((d) => new ExportEntries(store_(d).users, store_(d).categories, store_(d).entries, store_(d).teams, store_(d).tags)),
  );
  const environmentSettings = (d: DependencyContainer) => ({
    registration: port(d, "config").registration,
    currency: port(d, "config").currency,
  });
  c.register(GetSettings, once((d) => new GetSettings(store_(d).settings, environmentSettings(d))));
  c.register(UpdateSettings, once((d) => new UpdateSettings(store_(d).settings, environmentSettings(d))));
  c.register(ListTags, once((d) => new ListTags(store_(d).tags)));
  c.register(GetPreferences, once((d) => new GetPreferences(store_(d).preferences)));
  c.register(UpdatePreferences, once((d) => new UpdatePreferences(store_(d).categories, store_(d).transactor)));
  c.register(CreateTeam, once((d) => new CreateTeam(store_(d).teams)));
  c.register(ListTeams, once((d) => new ListTeams(store_(d).teams)));
  c.register(GetTeam, once((d) => new GetTeam(store_(d).teams)));
  c.register(RenameTeam, once((d) => new RenameTeam(store_(d).teams)));
  c.register(DeleteTeam, once((d) => new DeleteTeam(store_(d).teams)));
  c.register(SetTeamMember, once((d) => new SetTeamMember(store_(d).teams, store_(d).users)));
  c.register(RemoveTeamMember, once((d) => new RemoveTeamMember(store_(d).teams, store_(d).users)));
  c.register(CreateClient, once((d) => new CreateClient(store_(d).clients)));
  c.register(ListClients, once((d) => new ListClients(store_(d).clients)));
  c.register(UpdateClient, once((d) => new UpdateClient(store_(d).clients)));
  c.register(CreateProject, once((d) => new CreateProject(store_(d).clients, store_(d).projects)));
  c.register(ListProjects, once((d) => new ListProjects(store_(d).projects)));
  c.register(UpdateProject, once((d) => new UpdateProject(store_(d).clients, store_(d).projects)));
  c.register(CheckHealth, once((d) => new CheckHealth(store_(d))));
  c.register(SummarizeTime, once((d) => new SummarizeTime(store_(d), port(d, "clock"), port(d, "config").currency)));
  c.register(PurgeExpiredSessions, once((d) => new PurgeExpiredSessions(store_(d).sessions, port(d, "clock"))));
  c.register(
    LimitRegistrations,
    once((d) => new LimitRegistrations(store_(d).attempts, port(d, "clock"), port(d, "config").rateLimit.registerPerHour)),
  );
  c.register(PurgeExpiredAttempts, once((d) => new PurgeExpiredAttempts(store_(d).attempts, port(d, "clock"))));
  return c;
}

/** Everything the HTTP driver needs, resolved from the container. */
export function resolveUseCases(c: DependencyContainer): UseCases {
  return {
    registerUser: c.resolve(RegisterUser),
    updateUser: c.resolve(UpdateUser),
    createInvitation: c.resolve(CreateInvitation),
    listInvitations: c.resolve(ListInvitations),
    deleteInvitation: c.resolve(DeleteInvitation),
    logIn: c.resolve(LogIn),
    logOut: c.resolve(LogOut),
    authenticate: c.resolve(Authenticate),
    getMe: c.resolve(GetMe),
    listUsers: c.resolve(ListUsers),
    createCategory: c.resolve(CreateCategory),
    listCategories: c.resolve(ListCategories),
    logTimeEntry: c.resolve(LogTimeEntry),
    stopTimer: c.resolve(StopTimer),
    getTimeEntry: c.resolve(GetTimeEntry),
    createTeam: c.resolve(CreateTeam),
    listTeams: c.resolve(ListTeams),
    getTeam: c.resolve(GetTeam),
    renameTeam: c.resolve(RenameTeam),
    deleteTeam: c.resolve(DeleteTeam),
    setTeamMember: c.resolve(SetTeamMember),
    removeTeamMember: c.resolve(RemoveTeamMember),
    createClient: c.resolve(CreateClient),
    listClients: c.resolve(ListClients),
    updateClient: c.resolve(UpdateClient),
    createProject: c.resolve(CreateProject),
    listProjects: c.resolve(ListProjects),
    updateProject: c.resolve(UpdateProject),
    updateTimeEntry: c.resolve(UpdateTimeEntry),
    deleteTimeEntry: c.resolve(DeleteTimeEntry),
    listEntries: c.resolve(ListEntries),
    exportEntries: c.resolve(ExportEntries),
    checkHealth: c.resolve(CheckHealth),
    summarizeTime: c.resolve(SummarizeTime),
    getSettings: c.resolve(GetSettings),
    updateSettings: c.resolve(UpdateSettings),
    listTags: c.resolve(ListTags),
    getPreferences: c.resolve(GetPreferences),
    updatePreferences: c.resolve(UpdatePreferences),
    limitRegistrations: c.resolve(LimitRegistrations),
  };
}
