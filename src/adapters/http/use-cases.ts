import type { Authenticate } from "../../application/authenticate.js";
import type {
  CreateClient,
  CreateProject,
  ListClients,
  ListProjects,
  UpdateClient,
  UpdateProject,
} from "../../application/catalog.js";
import type { CheckHealth } from "../../application/check-health.js";
import type { CreateCategory } from "../../application/create-category.js";
import type { DeleteTimeEntry } from "../../application/delete-time-entry.js";
import type { ExportEntries } from "../../application/export-entries.js";
import type { GetMe } from "../../application/get-me.js";
import type { GetTimeEntry } from "../../application/get-time-entry.js";
import type {
  CreateTeam,
  DeleteTeam,
  GetTeam,
  ListTeams,
  RemoveTeamMember,
  RenameTeam,
  SetTeamMember,
} from "../../application/teams.js";
import type { ListCategories } from "../../application/list-categories.js";
import type { ListEntries } from "../../application/list-entries.js";
import type { ListUsers } from "../../application/list-users.js";
import type { LogIn } from "../../application/log-in.js";
import type { LimitRegistrations } from "../../application/attempt-limits.js";
import type { LogOut } from "../../application/log-out.js";
import type { LogTimeEntry } from "../../application/log-time-entry.js";
import type { RegisterUser } from "../../application/register-user.js";
import type { UpdateUser } from "../../application/update-user.js";
import type { CreateInvitation, DeleteInvitation, ListInvitations } from "../../application/invitations.js";
import type { StopTimer } from "../../application/stop-timer.js";
import type { SummarizeTime } from "../../application/summarize-time.js";
import type { UpdateTimeEntry } from "../../application/update-time-entry.js";
import type { GetSettings, ListTags, UpdateSettings } from "../../application/settings.js";
import type { GetPreferences, UpdatePreferences } from "../../application/preferences.js";
import type { BeginSingleSignOn, CompleteSingleSignOn } from "../../application/single-sign-on.js";
import type { AuthenticateApiToken, CreateApiToken, DeleteApiToken, ListApiTokens } from "../../application/api-tokens.js";
import type { ImportEntryBatch } from "../../application/import-entry-batch.js";
import type {
  ChangePassword,
  ConfirmTotp,
  DeleteAccount,
  DisableTotp,
  EndSession,
  ListSessions,
  StartTotp,
  TwoFactorStatus,
} from "../../application/accounts.js";
import type { SyncEntries } from "../../application/sync.js";
import type {
  CreateWebhook,
  DeleteWebhook,
  GetWebhook,
  ListWebhookDeliveries,
  ListWebhooks,
  PingWebhook,
  UpdateWebhook,
} from "../../application/webhooks.js";
import type { LogEntryBatch } from "../../application/log-entry-batch.js";
import type { ImportEntries } from "../../application/import-entries.js";

/** What the HTTP driver drives: the application's use cases, built by the composition root. */
export interface UseCases {
  readonly registerUser: RegisterUser;
  readonly updateUser: UpdateUser;
  readonly createInvitation: CreateInvitation;
  readonly listInvitations: ListInvitations;
  readonly deleteInvitation: DeleteInvitation;
  readonly logIn: LogIn;
  readonly logOut: LogOut;
  readonly authenticate: Authenticate;
  readonly getMe: GetMe;
  readonly listUsers: ListUsers;
  readonly createCategory: CreateCategory;
  readonly listCategories: ListCategories;
  readonly logTimeEntry: LogTimeEntry;
  readonly stopTimer: StopTimer;
  readonly getTimeEntry: GetTimeEntry;
  readonly createTeam: CreateTeam;
  readonly listTeams: ListTeams;
  readonly getTeam: GetTeam;
  readonly renameTeam: RenameTeam;
  readonly deleteTeam: DeleteTeam;
  readonly setTeamMember: SetTeamMember;
  readonly removeTeamMember: RemoveTeamMember;
  readonly createClient: CreateClient;
  readonly listClients: ListClients;
  readonly updateClient: UpdateClient;
  readonly createProject: CreateProject;
  readonly listProjects: ListProjects;
  readonly updateProject: UpdateProject;
  readonly updateTimeEntry: UpdateTimeEntry;
  readonly deleteTimeEntry: DeleteTimeEntry;
  readonly listEntries: ListEntries;
  readonly exportEntries: ExportEntries;
  readonly checkHealth: CheckHealth;
  readonly summarizeTime: SummarizeTime;
  readonly getSettings: GetSettings;
  readonly updateSettings: UpdateSettings;
  readonly listTags: ListTags;
  readonly getPreferences: GetPreferences;
  readonly updatePreferences: UpdatePreferences;
  readonly beginSingleSignOn: BeginSingleSignOn;
  readonly completeSingleSignOn: CompleteSingleSignOn;
  readonly createApiToken: CreateApiToken;
  readonly listApiTokens: ListApiTokens;
  readonly deleteApiToken: DeleteApiToken;
  readonly authenticateApiToken: AuthenticateApiToken;
  readonly importEntryBatch: ImportEntryBatch;
  readonly changePassword: ChangePassword;
  readonly listSessions: ListSessions;
  readonly endSession: EndSession;
  readonly deleteAccount: DeleteAccount;
  readonly startTotp: StartTotp;
  readonly confirmTotp: ConfirmTotp;
  readonly disableTotp: DisableTotp;
  readonly twoFactorStatus: TwoFactorStatus;
  readonly syncEntries: SyncEntries;
  readonly createWebhook: CreateWebhook;
  readonly listWebhooks: ListWebhooks;
  readonly getWebhook: GetWebhook;
  readonly updateWebhook: UpdateWebhook;
  readonly deleteWebhook: DeleteWebhook;
  readonly listWebhookDeliveries: ListWebhookDeliveries;
  readonly pingWebhook: PingWebhook;
  readonly logEntryBatch: LogEntryBatch;
  readonly importEntries: ImportEntries;
  readonly limitRegistrations: LimitRegistrations;
}
