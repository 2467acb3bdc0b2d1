import { checkNewPassword, parseNewUsername, parseRole, type User } from "./domain/user.js";
import { Argon2PasswordHasher } from "./adapters/security/argon2-password-hasher.js";
import { openStore } from "./adapters/persistence/open-store.js";
import { UpdateUser } from "./application/update-user.js";
import { instanceScope } from "./application/ports/transactor.js";
import type { Store } from "./application/ports/store.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

const USAGE = `usage:
  npm run users -- list
  npm run users -- set-role <username> <owner|admin|member>
  npm run users -- create <username> [--role <owner|admin|member>]   (the password is read from standard input)`;

class UsageError extends Error {}

function line(user: User): string {
  const rate = user.hourlyRateCents === null ? "-" : String(user.hourlyRateCents);
  return [String(user.id), user.username, user.role, user.active ? "active" : "inactive", rate].join("\t");
}

async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One line: what `echo secret |` or a prompt-less pipe gives, without its line break.
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function list(store: Store): Promise<void> {
  process.stdout.write("id\tusername\trole\tactive\thourly_rate_cents\n");
  let afterId: number | null = null;
  for (;;) {
    const page = await store.users.list({ afterId, limit: 500 });
    for (const user of page) process.stdout.write(`${line(user)}\n`);
    const last = page.at(-1);
    if (page.length < 500 || !last) return;
    afterId = last.id;
  }
}

async function create(store: Store, username: string, role: string): Promise<void> {
  const name = parseNewUsername(username);
  const password = checkNewPassword(await readPassword());
  const passwordHash = await new Argon2PasswordHasher().hash(password);
  const user = await store.transactor.run(instanceScope(), ({ users }) =>
    users.add({ username: name, passwordHash, createdAt: new Date(), role: parseRole(role) }),
  );
  process.stdout.write(`created ${line(user)}\n`);
}

async function run(args: readonly string[], store: Store): Promise<void> {
  const [command, ...rest] = args;
  if (command === "list" && rest.length === 0) return list(store);
  if (command === "set-role" && rest.length === 2) {
    const [username, role] = rest as [string, string];
    const user = await new UpdateUser(store.transactor).execute({
      actor: "operator",
      username,
      changes: { role: parseRole(role) },
    });
    process.stdout.write(`updated ${line(user)}\n`);
    return;
  }
  if (command === "create" && (rest.length === 1 || (rest.length === 3 && rest[1] === "--role"))) {
    return create(store, rest[0] as string, rest[2] ?? "member");
  }
  throw new UsageError(USAGE);
}

/**
 * `npm run users -- …`: lists users, sets a role, creates a user, on the store the service's own
 * configuration names (migrating it first, as the service does). The password is read from
 * standard input, never from an argument, which other users of the machine could see.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0] === "--help" || args[0] === "-h") throw new UsageError(USAGE);
  const config = loadConfig(process.env);
  // The log goes to standard error: standard output is the command's answer.
  const store = await openStore(config, createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr));
  try {
    await store.migrate();
    await run(args, store);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`time-tracker users: ${message}\n`);
  process.exit(1);
});
