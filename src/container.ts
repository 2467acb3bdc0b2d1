import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from "tsyringe";
import { Argon2PasswordHasher } from "./adapters/security/argon2-password-hasher.js";
import { RandomTokenGenerator } from "./adapters/security/random-token-generator.js";
import { SystemClock } from "./adapters/system/system-clock.js";
import type { UseCases } from "./adapters/http/use-cases.js";
import { Authenticate } from "./application/authenticate.js";
import { CreateClient, CreateProject, ListClients, ListProjects, UpdateClient, UpdateProject } from "./application/catalog.js";
import { CheckHealth } from "./application/check-health.js";
import { TagDirectory } from "./application/tag-directory.js";
import { bookingLookups } from "./application/entry-booking.js";
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
import { BeginSingleSignOn, CompleteSingleSignOn } from "./application/single-sign-on.js";
import { OpenIdConnectProvider } from "./adapters/identity/openid-connect-provider.js";
import { AuthenticateApiToken, CreateApiToken, DeleteApiToken, ListApiTokens } from "./application/api-tokens.js";
import { ImportEntryBatch } from "./application/import-entry-batch.js";
import {
  AccountGuard,
  ChangePassword,
  ConfirmTotp,
  DeleteAccount,
  DisableTotp,
  EndSession,
  ListSessions,
  SecondFactor,
  StartTotp,
  TwoFactorStatus,
} from "./application/accounts.js";
import { OtpauthTotpAuthenticator } from "./adapters/identity/otpauth-totp.js";
import { LogEntryBatch } from "./application/log-entry-batch.js";
import { ImportEntries } from "./application/import-entries.js";
import { CsvImportReader } from "./adapters/csv/csv-import-reader.js";
import { CountedLoginThrottle, LimitRegistrations, PurgeExpiredAttempts } from "./application/attempt-limits.js";
import type { Store } from "./application/ports/store.js";
import { PurgeSyncTombstones, SyncEntries } from "./application/sync.js";
import {
  CreateWebhook,
  DeleteWebhook,
  DeliverWebhookEvents,
  GetWebhook,
  ListWebhookDeliveries,
  ListWebhooks,
  PingWebhook,
  PurgeWebhookDeliveries,
  UpdateWebhook,
} from "./application/webhooks.js";
import { DnsWebhookUrlGuard } from "./adapters/webhooks/address-guard.js";
import { deliveryTimeoutMs, RandomWebhookSecretGenerator } from "./adapters/webhooks/http-webhook-sender.js";
import { ThreadedWebhookSender } from "./adapters/webhooks/threaded-webhook-sender.js";
import { WebhookWorker } from "./adapters/webhooks/webhook-worker.js";
import type { Config } from "./config.js";
import { port, TOKENS, type Ports } from "./tokens.js";

/** Ports a test (or a deployment) may replace: a fixed clock, a cheap hasher. */
export type Overrides = Partial<Pick<Ports, "clock" | "passwordHasher" | "tokenGenerator" | "loginThrottle">>;

/** Deliveries claimed per round of the webhook worker, and how often an idle worker looks again. */
const WEBHOOK_BATCH_SIZE = 20;
const WEBHOOK_POLL_MS = 250;

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
          d.resolve(SecondFactor),
        ),
    ),
  );
  c.register(LogOut, once((d) => new LogOut(store_(d).sessions, port(d, "tokenGenerator"))));
  c.register(Authenticate, once((d) => new Authenticate(store_(d).sessions, port(d, "tokenGenerator"), port(d, "clock"))));
  c.register(GetMe, once((d) => new GetMe(store_(d).users)));
  c.register(ListUsers, once((d) => new ListUsers(store_(d).users)));
  c.register(CreateCategory, once((d) => new CreateCategory(store_(d).categories)));
  c.register(ListCategories, once((d) => new ListCategories(store_(d).categories)));
  // One per store: it remembers tag ids of that database.
  c.register(TagDirectory, once((d) => new TagDirectory(store_(d).tags)));
  const lookupsForBooking = (d: DependencyContainer) => bookingLookups(store_(d), port(d, "clock"), d.resolve(TagDirectory));
  c.register(LogTimeEntry, once((d) => new LogTimeEntry(lookupsForBooking(d), store_(d).transactor)));
  c.register(StopTimer, once((d) => new StopTimer(store_(d).settings, store_(d).transactor, port(d, "clock"))));
  c.register(GetTimeEntry, once((d) => new GetTimeEntry(store_(d).entries, store_(d).users, store_(d).teams)));
  c.register(
    UpdateTimeEntry,
    once(
      (d) =>
        new UpdateTimeEntry(store_(d).categories, store_(d).settings, store_(d).transactor, port(d, "clock"), d.resolve(TagDirectory)),
    ),
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
  c.register(LogEntryBatch, once((d) => new LogEntryBatch(lookupsForBooking(d), store_(d).transactor)));
  c.register(
    ImportEntries,
    once((d) => new ImportEntries(new CsvImportReader(), store_(d).settings, store_(d).transactor)),
  );
  c.register(PurgeExpiredSessions, once((d) => new PurgeExpiredSessions(store_(d).sessions, port(d, "clock"))));
  // Single sign-on: one provider client per container (it caches the issuer's metadata), none when off.
  const identityProvider = config.oidc
    ? new OpenIdConnectProvider(config.oidc, { redirectUri: ssoRedirectUri(config.publicUrl) })
    : null;
  c.register(BeginSingleSignOn, once(() => new BeginSingleSignOn(identityProvider)));
  c.register(
    CompleteSingleSignOn,
    once(
      (d) =>
        new CompleteSingleSignOn(
          identityProvider,
          store_(d).users,
          store_(d).sessions,
          store_(d).transactor,
          port(d, "passwordHasher"),
          port(d, "tokenGenerator"),
          port(d, "clock"),
          port(d, "config").sessionTtlSeconds,
          config.oidc?.autoRegister ?? false,
        ),
    ),
  );
  c.register(CreateApiToken, once((d) => new CreateApiToken(store_(d).apiTokens, port(d, "tokenGenerator"), port(d, "clock"))));
  c.register(ListApiTokens, once((d) => new ListApiTokens(store_(d).apiTokens)));
  c.register(DeleteApiToken, once((d) => new DeleteApiToken(store_(d).apiTokens)));
  c.register(
    AuthenticateApiToken,
    once((d) => new AuthenticateApiToken(store_(d).apiTokens, port(d, "tokenGenerator"), port(d, "clock"))),
  );
  c.register(ImportEntryBatch, once((d) => new ImportEntryBatch(d.resolve(CreateCategory), d.resolve(LogTimeEntry))));
  const totp = new OtpauthTotpAuthenticator(config.totpEncryptionKey);
  c.register(
    SecondFactor,
    once((d) => new SecondFactor(store_(d).twoFactor, totp, port(d, "tokenGenerator"), port(d, "clock"))),
  );
  c.register(
    AccountGuard,
    once((d) => new AccountGuard(port(d, "passwordHasher"), d.resolve(SecondFactor), port(d, "loginThrottle"), port(d, "clock"))),
  );
  c.register(
    ChangePassword,
    once(
      (d) =>
        new ChangePassword(d.resolve(AccountGuard), store_(d).users, store_(d).sessions, port(d, "passwordHasher"), port(d, "tokenGenerator")),
    ),
  );
  c.register(ListSessions, once((d) => new ListSessions(store_(d).sessions, port(d, "tokenGenerator"), port(d, "clock"))));
  c.register(EndSession, once((d) => new EndSession(store_(d).sessions)));
  c.register(DeleteAccount, once((d) => new DeleteAccount(d.resolve(AccountGuard), store_(d).transactor)));
  c.register(StartTotp, once((d) => new StartTotp(store_(d).twoFactor, totp, port(d, "clock"))));
  c.register(
    ConfirmTotp,
    once(
      (d) => new ConfirmTotp(d.resolve(AccountGuard), d.resolve(SecondFactor), store_(d).twoFactor, totp, port(d, "clock"), store_(d).transactor),
    ),
  );
  c.register(TwoFactorStatus, once((d) => new TwoFactorStatus(d.resolve(SecondFactor))));
  c.register(DisableTotp, once((d) => new DisableTotp(d.resolve(AccountGuard), d.resolve(SecondFactor), store_(d).transactor)));
  c.register(SyncEntries, once((d) => new SyncEntries(store_(d).changeFeed)));
  c.register(PurgeSyncTombstones, once((d) => new PurgeSyncTombstones(store_(d).changeFeed, port(d, "clock"))));
  const webhookConfig = (d: DependencyContainer) => port(d, "config").webhooks;
  const urlGuard = (d: DependencyContainer) => new DnsWebhookUrlGuard(webhookConfig(d).allowPrivateNetworks);
  c.register(
    CreateWebhook,
    once((d) => new CreateWebhook(store_(d).webhooks, urlGuard(d), new RandomWebhookSecretGenerator(), port(d, "clock"))),
  );
  c.register(ListWebhooks, once((d) => new ListWebhooks(store_(d).webhooks)));
  c.register(GetWebhook, once((d) => new GetWebhook(store_(d).webhooks)));
  c.register(UpdateWebhook, once((d) => new UpdateWebhook(store_(d).webhooks, urlGuard(d))));
  c.register(DeleteWebhook, once((d) => new DeleteWebhook(store_(d).webhooks)));
  c.register(ListWebhookDeliveries, once((d) => new ListWebhookDeliveries(store_(d).webhooks)));
  // Signing and sending run on a thread of their own, off the event loop that serves requests.
  c.register(
    ThreadedWebhookSender,
    once(
      (d) =>
        new ThreadedWebhookSender({
          allowPrivate: webhookConfig(d).allowPrivateNetworks,
          timeoutMs: deliveryTimeoutMs(webhookConfig(d).leaseSeconds),
        }),
    ),
  );
  c.register(
    DeliverWebhookEvents,
    once(
      (d) =>
        new DeliverWebhookEvents(
          store_(d).webhooks,
          d.resolve(ThreadedWebhookSender),
          port(d, "clock"),
          {
            retryBaseSeconds: webhookConfig(d).retryBaseSeconds,
            leaseSeconds: webhookConfig(d).leaseSeconds,
            batchSize: WEBHOOK_BATCH_SIZE,
          },
        ),
    ),
  );
  c.register(PurgeWebhookDeliveries, once((d) => new PurgeWebhookDeliveries(store_(d).webhooks, port(d, "clock"))));
  c.register(
    WebhookWorker,
    once((d) => new WebhookWorker(d.resolve(DeliverWebhookEvents), WEBHOOK_BATCH_SIZE, WEBHOOK_POLL_MS, console)),
  );
  c.register(PingWebhook, once((d) => new PingWebhook(store_(d).webhooks, port(d, "clock"), () => d.resolve(WebhookWorker).kick())));
  c.register(
    LimitRegistrations,
    once((d) => new LimitRegistrations(store_(d).attempts, port(d, "clock"), port(d, "config").rateLimit.registerPerHour)),
  );
  c.register(PurgeExpiredAttempts, once((d) => new PurgeExpiredAttempts(store_(d).attempts, port(d, "clock"))));
  return c;
}

/** `${PUBLIC_URL}/auth/oidc/callback`: the redirect URI to register at the OpenID provider. */
export function ssoRedirectUri(publicUrl: URL): string {
  return `${publicUrl.href.replace(/\/+$/, "")}/auth/oidc/callback`;
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
    beginSingleSignOn: c.resolve(BeginSingleSignOn),
    completeSingleSignOn: c.resolve(CompleteSingleSignOn),
    createApiToken: c.resolve(CreateApiToken),
    listApiTokens: c.resolve(ListApiTokens),
    deleteApiToken: c.resolve(DeleteApiToken),
    authenticateApiToken: c.resolve(AuthenticateApiToken),
    importEntryBatch: c.resolve(ImportEntryBatch),
    changePassword: c.resolve(ChangePassword),
    listSessions: c.resolve(ListSessions),
    endSession: c.resolve(EndSession),
    deleteAccount: c.resolve(DeleteAccount),
    startTotp: c.resolve(StartTotp),
    confirmTotp: c.resolve(ConfirmTotp),
    disableTotp: c.resolve(DisableTotp),
    twoFactorStatus: c.resolve(TwoFactorStatus),
    syncEntries: c.resolve(SyncEntries),
    createWebhook: c.resolve(CreateWebhook),
    listWebhooks: c.resolve(ListWebhooks),
    getWebhook: c.resolve(GetWebhook),
    updateWebhook: c.resolve(UpdateWebhook),
    deleteWebhook: c.resolve(DeleteWebhook),
    listWebhookDeliveries: c.resolve(ListWebhookDeliveries),
    pingWebhook: c.resolve(PingWebhook),
    logEntryBatch: c.resolve(LogEntryBatch),
    importEntries: c.resolve(ImportEntries),
    limitRegistrations: c.resolve(LimitRegistrations),
  };
}
