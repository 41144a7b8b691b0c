/** `opencase conformance …` and `opencase conformance diff A B`. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { diffProfiles } from './diff.js';
import { isProfile, type Profile } from './profile.js';
import { formatFor, formatLine, formatSummary, redact } from './report.js';
import { runConformance } from './run.js';

/** The environment variable the secret may come in instead of the command line (which `ps` shows to every user). */
export const SECRET_VARIABLE = 'AICC_CLIENT_SECRET';

function serverUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError('give the server as a URL: http(s)://host[:port]');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('the URL must be http:// or https://');
  if (url.username || url.password) throw new InvalidArgumentError('give the credentials with --client-id and --client-secret, not in the URL');
  return url.origin;
}

function reportPath(path: string, paths: string[] = []): string[] {
  if (!formatFor(path)) throw new InvalidArgumentError(`${path}: a report is .xml (JUnit), .json or .md`);
  return [...paths, path];
}

async function writeOut(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

export async function readProfile(path: string): Promise<Profile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof SyntaxError ? 'not JSON' : (error as Error).message}`);
  }
  if (!isProfile(value)) throw new Error(`${path}: not a profile written by opencase conformance --record`);
  return value;
}

interface RunFlags {
  url?: string;
  clientId?: string;
  clientSecret?: string;
  write?: boolean;
  report?: string[];
  record?: string;
  userId?: string;
  assigneeId?: string;
  contactId?: string;
  caseType?: string;
  templateField?: string;
  quiet?: boolean;
}

export function addConformanceCommands(program: Command, fail: (message: string) => never): void {
  const conformance = program.command('conformance')
    .description('check any AICC Case 2.0 server (a real tenant, a mock, opencase) against AICC\'s documented contract; read-only unless --write')
    // Not requiredOption: commander would demand them of `conformance diff` too.
    .option('--url <url>', 'the server, as http(s)://host[:port] (required)', serverUrl)
    .option('--client-id <id>', 'client_id of an API app (AICC: the OAuth record of a machine user) (required)')
    .option('--client-secret <secret>', `its client_secret (or set ${SECRET_VARIABLE}, which ps does not show)`)
    .option('--write', 'also run the case and task lifecycles; everything is made in a case type named conformance-… and closed or cancelled at the end')
    .option('--report <file>', 'write the results as .xml (JUnit), .json or .md (repeat for several)', reportPath)
    .option('--record <file>', 'write a profile of what the server does (shapes, statuses, codes; no values) for `conformance diff` and `tenant set --wire-from`')
    .option('--user-id <id>', 'with --write: the user to act as (creatorId) and to own what the kit makes (default: the creator of a listed case)')
    .option('--assignee-id <id>', 'with --write: another user to assign to and back (default: another creator of a listed case; on opencase a user conformance-assignee)')
    .option('--contact-id <id>', 'with --write: the contact of the cases it makes (default: the contact of a listed case)')
    .option('--case-type <id>', 'with --write: the case type to work in (its name must begin conformance-; default: the first such active type)')
    .option('--template-field <name>', 'with --write: a text field (AICC__name__CST) of the case type\'s template, sent on create and looked for in the replies (on opencase read from the template)')
    .option('--quiet', 'print failures and the summary only')
    .action(async (flags: RunFlags) => {
      if (!flags.url || !flags.clientId) fail('give the server with --url and the API app with --client-id (and --client-secret)');
      const clientSecret = flags.clientSecret ?? process.env[SECRET_VARIABLE];
      if (!clientSecret) fail(`give the client secret with --client-secret or in ${SECRET_VARIABLE}`);
      const outcome = await runConformance({
        url: flags.url, clientId: flags.clientId, clientSecret, write: flags.write ?? false,
        ...(flags.userId && { userId: flags.userId }), ...(flags.assigneeId && { assigneeId: flags.assigneeId }), ...(flags.contactId && { contactId: flags.contactId }), ...(flags.caseType && { caseTypeId: flags.caseType }),
        ...(flags.templateField && { templateField: flags.templateField }),
        onResult: (result, secrets) => {
          if (!flags.quiet || result.outcome === 'fail') process.stdout.write(`${redact(formatLine(result), secrets)}\n`);
        },
      });
      const { report, profile } = outcome;
      process.stdout.write(`${redact(formatSummary(report), outcome.secrets)}\n`);
      for (const path of flags.report ?? []) await writeOut(path, redact(formatFor(path)!(report), outcome.secrets));
      if (flags.record) await writeOut(flags.record, `${redact(JSON.stringify(profile, null, 2), outcome.secrets)}\n`);
      process.exitCode = report.results.some((result) => result.outcome === 'fail') ? 1 : 0;
    });
  conformance.command('diff')
    .description('say where two recorded profiles differ (a real tenant\'s against opencase\'s); exits 1 when they do')
    .argument('<a>', 'a profile written by conformance --record')
    .argument('<b>', 'another')
    .action(async (a: string, b: string) => {
      let differences: string[];
      try {
        differences = diffProfiles(await readProfile(a), await readProfile(b));
      } catch (error) {
        fail((error as Error).message);
      }
      if (differences.length === 0) process.stdout.write('no differences\n');
      else process.stdout.write(`${differences.length} difference${differences.length === 1 ? '' : 's'} (A: ${a}, B: ${b}):\n${differences.map((line) => `- ${line}`).join('\n')}\n`);
      process.exitCode = differences.length === 0 ? 0 : 1;
    });
}
