#!/usr/bin/env node
import cluster from 'node:cluster';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { nonEmpty, positiveInteger } from './cli-arguments.js';
import {
  createApiApp, createTenant, InvalidTenantInputError, listApps, listTenants, revokeApp, revokeToken, rotateSecret, setWireProfile, showTenant, UnknownCredentialError, type TenantSettings,
} from './auth/service.js';
import { parseWireSetting, WIRE_PROFILE_SWITCHES, type WireProfile } from './wire/profile.js';
import { reportListening, runWorkers } from './cluster.js';
import { generate } from './generate/generator.js';
import { ConfigError, DB_FLAG, loadConfig, requiredDatabase } from './config.js';
import { DatabaseOpenError, migrateToLatest, openDatabase, waitForDatabase, type Store } from './db/database.js';
import { closeOnSignals, demoBanner, startServer } from './server.js';
import { createUser, findUserId, listUsers, setPassword, UnknownTenantError, UnknownUserError, updateUser } from './users/service.js';
import { PASSWORD_RULE } from './users/schemas.js';
import { ROLES } from './permissions/table.js';
import type { Role } from './db/tables.js';
import { addClientCommands } from './client/commands.js';
import { OpencaseError } from './client/errors.js';
import { formatTable } from './client/table.js';
import { ApiError } from './wire/errors.js';
import { addOperationCommands } from './operations/commands.js';
import { eraseContactForAdmin } from './contacts/erase.js';
import { OperationRefusedError } from './operations/backup.js';
import { addConformanceCommands } from './conformance/commands.js';
import { wireFromProfile } from './wire/profile-file.js';

/** Errors a person caused (a flag, a path, a locked file): one line, no stack. */
function describeFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DatabaseOpenError || error instanceof InvalidTenantInputError
    || error instanceof UnknownTenantError || error instanceof UnknownUserError || error instanceof UnknownCredentialError || error instanceof OpencaseError
    || error instanceof OperationRefusedError || error instanceof ApiError) {
    return error.message;
  }
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return `database is locked by another process (${message})`;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return `database error: ${message}`;
  if (code === 'EADDRINUSE') return `address already in use: ${message}`;
  if (code === 'EACCES') return `permission denied: ${message}`;
  return message;
}

function fail(error: unknown): never {
  process.stderr.write(`opencase: ${describeFailure(error).split('\n')[0]}\n`);
  process.exit(1);
}

async function withMigratedDatabase<T>(flag: string | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig({ db: requiredDatabase(flag) });
  const store = openDatabase(config.database, { poolSize: 2 });
  try {
    await waitForDatabase(store.db, config.databaseWaitSeconds * 1000, (message) => process.stderr.write(`opencase: ${message}\n`), config.database);
    await migrateToLatest(store.db);
    return await work(store);
  } finally {
    await store.close();
  }
}

const program = new Command('opencase')
  .description('A self-hostable case and task service that speaks the Huawei Cloud AICC Case 2.0 OpenAPI')
  .exitOverride();

program.command('serve')
  .description('run the HTTP server (migrates the database first)')
  .option('--db <path|url>', 'SQLite database file or postgres:// URL (default: $OPENCASE_DB or ./data/opencase.db)')
  .option('--pool-size <n>', 'PostgreSQL connections per process (default: $OPENCASE_DB_POOL or 10)')
  .option('--port <n>', 'port to listen on (default: $PORT or 8080)')
  .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
  .option('--demo', 'create the demo tenant (client demo-client / demo-secret) if it is missing')
  .option('--workers <n>', 'serve from N processes on one port (node:cluster); default 1', positiveInteger, 1)
  .action(async (flags: { db?: string; poolSize?: string; port?: string; host?: string; demo?: boolean; workers: number }) => {
    const config = loadConfig(flags);
    const announce = (url: string) => {
      const banner = config.demo ? `\n${demoBanner(url)}` : '';
      const workers = flags.workers > 1 ? `, ${flags.workers} workers` : '';
      process.stdout.write(`opencase listening on ${url} (database ${config.database}${workers})${banner}\n`);
    };
    if (flags.workers > 1 && cluster.isPrimary) {
      announce(await runWorkers(config, flags.workers));
      return;
    }
    const server = await startServer(config, { listenWhileStarting: !cluster.isWorker });
    closeOnSignals(server);
    if (cluster.isWorker) reportListening(server.url);
    else announce(server.url);
  });

program.command('migrate')
  .description('bring the database schema to the latest version')
  .option('--db <path|url>', DB_FLAG)
  .action(async (flags: { db?: string }) => {
    await withMigratedDatabase(flags.db, async (store) => {
      process.stdout.write(`database ${store.location} is up to date\n`);
    });
  });

const tenant = program.command('tenant').description('manage tenants');
tenant.command('create')
  .description('create a tenant with its first user, default case type and API app')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--name <name>', 'tenant name', nonEmpty)
  .option('--time-zone <tz>', 'IANA time zone its dates are shown in', 'UTC')
  .option('--user-name <name>', 'name of its first user', nonEmpty, 'admin')
  .option('--json', 'print one JSON object')
  .action(async (flags: { db?: string; name: string; timeZone: string; userName: string; json?: boolean }) => {
    const created = await withMigratedDatabase(flags.db, (store) =>
      createTenant(store, { name: flags.name, timeZone: flags.timeZone, userName: flags.userName }, Date.now()));
    const printed = { tenantId: created.tenantId, userId: created.userId, clientId: created.clientId, clientSecret: created.clientSecret };
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(printed)}\n`);
    } else {
      process.stdout.write([
        `tenant       ${printed.tenantId}`,
        `user         ${printed.userId}`,
        `case type    ${created.caseTypeId}`,
        `client_id    ${printed.clientId}`,
        `client_secret ${printed.clientSecret}  (shown once; only its hash is stored)`,
      ].join('\n') + '\n');
    }
  });

/** Prints a tenant's settings: one JSON object, or aligned lines. */
function printTenant(settings: TenantSettings, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(settings)}\n`);
    return;
  }
  process.stdout.write([
    `tenant       ${settings.tenantId} (${settings.name})`,
    `time zone    ${settings.timeZone}`,
    ...Object.entries(settings.wire).map(([key, value]) => `wire         ${key}=${value}`),
  ].join('\n') + '\n');
}

tenant.command('show')
  .description('show a tenant: its time zone and wire profile')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--tenant <id>', 'tenant id', nonEmpty)
  .option('--json', 'print one JSON object')
  .action(async (flags: { db?: string; tenant: string; json?: boolean }) => {
    printTenant(await withMigratedDatabase(flags.db, (store) => showTenant(store, flags.tenant)), flags.json);
  });

tenant.command('list')
  .description('list the tenants, oldest first, with how many users, active API apps, contacts, cases and tasks each holds')
  .option('--db <path|url>', DB_FLAG)
  .option('--json', 'print one JSON array')
  .action(async (flags: { db?: string; json?: boolean }) => {
    const tenants = await withMigratedDatabase(flags.db, (store) => listTenants(store));
    process.stdout.write(flags.json ? `${JSON.stringify(tenants)}\n` : `${formatTable(
      ['tenant', 'name', 'time zone', 'users', 'apps', 'contacts', 'cases', 'tasks'],
      tenants.map((t) => [t.tenantId, t.name, t.timeZone, t.users, t.apps, t.contacts, t.cases, t.tasks]),
    )}\n`);
  });

tenant.command('set')
  .description(`change a tenant's wire profile, where AICC's documentation leaves the wire open (${Object.entries(WIRE_PROFILE_SWITCHES)
    .map(([key, values]) => `${key}: ${values.join(' | ')}`).join('; ')}; the first of each is the default)`)
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--tenant <id>', 'tenant id', nonEmpty)
  .option('--wire <key=value>', 'a switch to set (repeat for several)', (text: string, settings: Partial<WireProfile> = {}) => {
    try {
      return { ...settings, ...parseWireSetting(text) };
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  })
  .option('--wire-from <file>', 'set every switch a profile recorded by `opencase conformance --record` settles, so that the tenant answers as the recorded server does (--wire given too wins)')
  .option('--json', 'print one JSON object')
  .action(async (flags: { db?: string; tenant: string; wire?: Partial<WireProfile>; wireFrom?: string; json?: boolean }) => {
    if (!flags.wire && !flags.wireFrom) throw new ConfigError('give --wire key=value or --wire-from FILE');
    const settings = { ...(flags.wireFrom ? await wireFromProfile(flags.wireFrom) : {}), ...flags.wire };
    printTenant(await withMigratedDatabase(flags.db, (store) => setWireProfile(store, flags.tenant, settings)), flags.json);
  });

const user = program.command('user').description('manage users (agents), their sign-in and their role');
const roleOption = (description: string) => new Option('--role <role>', description).choices(ROLES);

/** The password a command reads from standard input: its one line, without the newline, checked as the API checks it. */
async function passwordFromStdin(): Promise<string> {
  const password = (await readStdin()).replace(/\r?\n$/, '');
  if (password.length < 10 || password.length > 1024) throw new InvalidTenantInputError(`the password on standard input ${PASSWORD_RULE}`);
  return password;
}

/** A user's one line: id, login, role, status, name. */
function userLine(printed: { id: string; login: string | null; role: string; status?: string; name: string }): string {
  return `user ${printed.id}  login ${printed.login ?? '-'}  ${printed.role}${printed.status ? `  ${printed.status}` : ''}  (${printed.name})`;
}

user.command('create')
  .description('create a user in a tenant; with --login and --password-stdin, one who signs in (POST /opencase/v1/session)')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--tenant <id>', 'tenant id', nonEmpty)
  .requiredOption('--name <name>', 'user name', nonEmpty)
  .option('--login <login>', 'what the user signs in with (unique in the tenant)', nonEmpty)
  .addOption(roleOption('agent (default), supervisor or admin'))
  .option('--password-stdin', 'read the password from standard input (10 to 1024 characters; keeps it out of the shell history)')
  .option('--json', 'print one JSON object')
  .action(async (flags: { db?: string; tenant: string; name: string; login?: string; role?: Role; passwordStdin?: boolean; json?: boolean }) => {
    if (flags.passwordStdin && flags.login === undefined) throw new InvalidTenantInputError('--password-stdin needs --login: a password is for signing in');
    const password = flags.passwordStdin ? await passwordFromStdin() : undefined;
    const created = await withMigratedDatabase(flags.db, (store) =>
      createUser(store, flags.tenant, { name: flags.name, login: flags.login, role: flags.role, password }, Date.now()));
    process.stdout.write(flags.json ? `${JSON.stringify(created)}\n` : `${userLine({ ...created, id: created.userId })} in tenant ${created.tenantId}\n`);
  });

/** The flags of a command on one user of a tenant: the user named by its id or by its login. */
interface NamedUserFlags { db?: string; tenant: string; user?: string; login?: string }

function namedUserCommand(name: string, description: string): Command {
  return user.command(name)
    .description(description)
    .option('--db <path|url>', DB_FLAG)
    .requiredOption('--tenant <id>', 'tenant id', nonEmpty)
    .option('--user <id>', 'the user\'s id', nonEmpty)
    .option('--login <login>', 'or the user\'s login', nonEmpty);
}

/** The id of the user `--user` or `--login` names (exactly one of the two). */
function namedUser(store: Store, flags: NamedUserFlags): Promise<string> {
  if ((flags.user === undefined) === (flags.login === undefined)) throw new InvalidTenantInputError('name the user with --user or --login (one of the two)');
  return findUserId(store, flags.tenant, { userId: flags.user, login: flags.login });
}

namedUserCommand('set-password', 'set a user\'s password from standard input; its sessions end at once, in every process')
  .requiredOption('--password-stdin', 'read the password from standard input (10 to 1024 characters)')
  .action(async (flags: NamedUserFlags) => {
    const password = await passwordFromStdin();
    const userId = await withMigratedDatabase(flags.db, async (store) => {
      const id = await namedUser(store, flags);
      await setPassword(store, flags.tenant, id, password, Date.now());
      return id;
    });
    process.stdout.write(`password of user ${userId} set; its sessions ended\n`);
  });

for (const [name, status, said] of [['disable', 'disabled', 'its sessions and tokens stop at once, in every process'], ['enable', 'active', 'it may sign in again']] as const) {
  namedUserCommand(name, `${name} a user: ${said}`)
    .option('--json', 'print one JSON object')
    .action(async (flags: NamedUserFlags & { json?: boolean }) => {
      const changed = await withMigratedDatabase(flags.db, async (store) => updateUser(store, flags.tenant, await namedUser(store, flags), { status }, Date.now()));
      process.stdout.write(flags.json ? `${JSON.stringify(changed)}\n` : `${userLine(changed)}\n`);
    });
}

user.command('list')
  .description('list a tenant\'s users, oldest first')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--tenant <id>', 'tenant id', nonEmpty)
  .option('--json', 'print one JSON object per line')
  .action(async (flags: { db?: string; tenant: string; json?: boolean }) => {
    await withMigratedDatabase(flags.db, async (store) => {
      const operator = { tenantId: flags.tenant, timeZone: 'UTC' };
      // Every page, 100 at a time: the operator's list is never cut short.
      for (let start = 0; ; start += 100) {
        const page = await listUsers(store, operator, start, 100);
        for (const row of page.users) process.stdout.write(flags.json ? `${JSON.stringify(row)}\n` : `${userLine(row)}\n`);
        if (start + 100 >= page.count) break;
      }
    });
  });

const contact = program.command('contact').description('manage contacts (the customers behind customerInfo)');
contact.command('erase')
  .description('erase a contact\'s personal data on request: its fields blanked, its address removed, its cases\' copy of its phone blanked and that phone in their history read [erased]; the traces keep that each change happened')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--tenant <id>', 'tenant id', nonEmpty)
  .requiredOption('--contact <id>', 'the contact\'s id', nonEmpty)
  .option('--user <id>', 'the admin the erasure is made for (its traces\' author)', nonEmpty)
  .option('--login <login>', 'or that admin\'s login', nonEmpty)
  .option('--json', 'print one JSON object')
  .action(async (flags: NamedUserFlags & { contact: string; json?: boolean }) => {
    const erased = await withMigratedDatabase(flags.db, async (store) => eraseContactForAdmin(store, flags.tenant, flags.contact, await namedUser(store, flags), Date.now()));
    process.stdout.write(flags.json ? `${JSON.stringify(erased)}\n`
      : `contact ${erased.contactId} erased: ${erased.casesChanged} cases' phone blanked, ${erased.tracesRedacted} traces redacted, ${erased.addressesRemoved} addresses removed\n`);
  });

const apiApp = program.command('app').description('manage API apps (client credentials)');
apiApp.command('create')
  .description('create another API app for a tenant (its secret shown once); without --role it acts as any user with every permission, as AICC\'s machine-to-machine interface does')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--tenant <id>', 'tenant id', nonEmpty)
  .requiredOption('--name <name>', 'what the app is for', nonEmpty)
  .addOption(roleOption('limit the app to this role\'s permissions (agent, supervisor or admin)'))
  .option('--user <id>', 'the user it acts as when a call names none (default: the tenant\'s first user)', nonEmpty)
  .option('--json', 'print one JSON object')
  .action(async (flags: { db?: string; tenant: string; name: string; role?: Role; user?: string; json?: boolean }) => {
    const created = await withMigratedDatabase(flags.db, (store) =>
      createApiApp(store, { tenantId: flags.tenant, name: flags.name, role: flags.role ?? null, userId: flags.user }, Date.now()));
    process.stdout.write(flags.json ? `${JSON.stringify(created)}\n` : [
      `client_id     ${created.clientId}`,
      `client_secret ${created.clientSecret}  (shown once; only its hash is stored)`,
      `acts as       ${created.userId}${created.role ? `, limited to role ${created.role}` : ', any user, every permission'}`,
    ].join('\n') + '\n');
  });
apiApp.command('list')
  .description('list a tenant\'s API apps (never a secret: only its hash is stored), revoked ones with when')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--tenant <id>', 'tenant id', nonEmpty)
  .option('--json', 'print one JSON array')
  .action(async (flags: { db?: string; tenant: string; json?: boolean }) => {
    const apps = await withMigratedDatabase(flags.db, (store) => listApps(store, flags.tenant));
    process.stdout.write(flags.json ? `${JSON.stringify(apps)}\n` : `${formatTable(
      ['client_id', 'name', 'role', 'acts as', 'created', 'revoked'],
      apps.map((app) => [app.clientId, app.name, app.role ?? 'any (every permission)', app.userId, app.createdAt, app.revokedAt ?? '']),
    )}\n`);
  });
apiApp.command('revoke')
  .description('revoke an API app: its secret and all its tokens stop working at once, in every running process')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--client-id <id>', 'the app\'s client_id', nonEmpty)
  .action(async (flags: { db?: string; clientId: string }) => {
    await withMigratedDatabase(flags.db, (store) => revokeApp(store, flags.clientId, Date.now()));
    process.stdout.write(`API app ${flags.clientId} revoked\n`);
  });
apiApp.command('rotate-secret')
  .description('give an API app a new client secret (shown once); the old one stops working at once')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--client-id <id>', 'the app\'s client_id', nonEmpty)
  .option('--revoke-tokens', 'also revoke every token issued under the old secret')
  .option('--json', 'print one JSON object')
  .action(async (flags: { db?: string; clientId: string; revokeTokens?: boolean; json?: boolean }) => {
    const rotated = await withMigratedDatabase(flags.db, (store) =>
      rotateSecret(store, flags.clientId, { revokeTokens: flags.revokeTokens === true, now: Date.now() }));
    const printed = { clientId: flags.clientId, clientSecret: rotated.clientSecret, revokedTokens: rotated.revokedTokens };
    process.stdout.write(flags.json ? `${JSON.stringify(printed)}\n` : [
      `client_id     ${printed.clientId}`,
      `client_secret ${printed.clientSecret}  (shown once; only its hash is stored)`,
      `tokens revoked ${printed.revokedTokens}`,
    ].join('\n') + '\n');
  });

const token = program.command('token').description('manage access tokens');
token.command('revoke')
  .description('revoke one access token at once, in every running process (reads it from standard input when TOKEN is -)')
  .argument('<token>', 'the access token, or - to read it from standard input (keeps it out of the shell history)')
  .option('--db <path|url>', DB_FLAG)
  .action(async (given: string, flags: { db?: string }) => {
    const accessToken = given === '-' ? (await readStdin()).trim() : given;
    await withMigratedDatabase(flags.db, (store) => revokeToken(store, accessToken, Date.now()));
    process.stdout.write('access token revoked\n');
  });

addClientCommands(program, token);
addOperationCommands(program);
addConformanceCommands(program, (message) => fail(new ConfigError(message)));

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `[#########.........]  45%  450000/1000000  52,100/s`, redrawn in place on a terminal. */
function progressBar(started: number) {
  return (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const rate = Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor((done / total) * 100)).padStart(3)}%  ${done}/${total} tasks  ${rate.toLocaleString('en-US')}/s`);
    if (done === total) process.stderr.write('\n');
  };
}

program.command('generate')
  .description('fill a tenant (a new one unless --tenant) with N tasks and a realistic spread of cases, contacts, users and traces, for benchmarks')
  .option('--db <path|url>', DB_FLAG)
  .requiredOption('--tasks <n>', 'how many tasks', positiveInteger)
  .option('--cases <n>', 'how many cases (default: one for every five tasks)', positiveInteger)
  .option('--tenant <id>', 'an existing tenant to fill (default: a new tenant, whose credentials are printed)')
  .option('--seed <n>', 'seed of the pseudo-random spread', positiveInteger, 42)
  .action(async (flags: { db?: string; tasks: number; cases?: number; tenant?: string; seed: number }) => {
    const result = await withMigratedDatabase(flags.db, (store) => generate(store, {
      tasks: flags.tasks, cases: flags.cases, tenantId: flags.tenant, seed: flags.seed, now: Date.now(),
      ...(process.stderr.isTTY && { onProgress: progressBar(performance.now()) }),
    }));
    process.stdout.write(`${JSON.stringify({ ...result, tasksPerSecond: Math.round(result.tasks / Math.max(result.seconds, 0.001)) })}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  fail(error);
}
