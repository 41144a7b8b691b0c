import { Command, Option } from 'commander';
import { nonEmpty, wholeNumber } from '../cli-arguments.js';
import { PRIORITIES, RELATE_TYPE_CASE, TASK_CLASSIFICATIONS, TASK_STATUSES } from '../wire/enums.js';
import { OpencaseClient } from './client.js';
import type { ListTasksRequest, TaskListItem } from './types.js';

/** The readable output; loaded only when a command prints it (string-width alone takes ~20 ms to load, which `serve` need not pay). */
type Describe = typeof import('./describe.js');

interface ConnectionFlags { url: string; clientId: string; clientSecret: string; json?: boolean }

/**
 * `--url`, `--client-id`, `--client-secret` and `--json` on a command that calls a server. The secret is best given
 * as OPENCASE_CLIENT_SECRET: a flag shows in the process list.
 */
function withConnection(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'the server (opencase, or an AICC tenant\'s https://<domain>)').env('OPENCASE_URL').default('http://127.0.0.1:8080'))
    .addOption(new Option('--client-id <id>', 'API app client_id').env('OPENCASE_CLIENT_ID').argParser(nonEmpty).makeOptionMandatory())
    .addOption(new Option('--client-secret <secret>', 'API app client_secret').env('OPENCASE_CLIENT_SECRET').argParser(nonEmpty).makeOptionMandatory())
    .option('--json', 'print the result as JSON (for scripts)');
}

function clientOf(flags: ConnectionFlags): OpencaseClient {
  return new OpencaseClient({ baseUrl: flags.url, clientId: flags.clientId, clientSecret: flags.clientSecret });
}

async function print(flags: ConnectionFlags, value: unknown, readable: (describe: Describe) => string): Promise<void> {
  process.stdout.write(`${flags.json ? JSON.stringify(value) : readable(await import('./describe.js'))}\n`);
}

/** `opencase token`, `opencase task get|list`, `opencase case get|close`: the API from a shell, through the typed client. */
export function addClientCommands(program: Command, tokenCommand: Command): void {
  withConnection(tokenCommand.command('get', { isDefault: true }))
    .description('fetch an access token (client credentials) and print it with its expiry')
    .action(async (flags: ConnectionFlags) => {
      const token = await clientOf(flags).token();
      const printed = { accessToken: token.accessToken, expiresAt: token.expiresAt.toISOString() };
      await print(flags, printed, (describe) => describe.describeToken(token));
    });

  const task = program.command('task').description('call the task API of a running server');
  withConnection(task.command('get'))
    .description('查询任务详情: one task with its cases, contact and trace')
    .argument('<id>', 'task id')
    .action(async (id: string, flags: ConnectionFlags) => {
      const detail = await clientOf(flags).tasks.get(id);
      await print(flags, detail, (describe) => describe.describeTask(detail));
    });

  withConnection(task.command('list'))
    .description('查询任务列表: a page of tasks, newest first, and how many match')
    .addOption(new Option('--creator-id <id>', 'the acting user (AICC requires it; classification is relative to it)').env('OPENCASE_USER_ID').argParser(nonEmpty).makeOptionMandatory())
    .addOption(new Option('--status <status>').choices(TASK_STATUSES))
    .addOption(new Option('--priority <priority>').choices(PRIORITIES))
    .addOption(new Option('--classification <which>', 'relative to --creator-id').choices(TASK_CLASSIFICATIONS))
    .option('--owner-id <id>', 'tasks of this owner')
    .option('--title <text>', 'title contains')
    .option('--relate-id <id>', 'tasks of this case')
    .option('--contact-id <id>', 'tasks of this contact')
    .option('--start <n>', 'rows to skip', wholeNumber, 0)
    .option('--limit <n>', 'rows to show (at most 100)', wholeNumber, 20)
    .option('--all', 'every matching task, page after page (ignores --start and --limit)')
    .action(async (flags: ConnectionFlags & TaskListFlags) => {
      const client = clientOf(flags);
      const filters = taskFilters(flags);
      if (flags.all) {
        const tasks: TaskListItem[] = [];
        for await (const item of client.tasks.listAll(filters)) tasks.push(item);
        await print(flags, { count: tasks.length, taskList: tasks }, (describe) => describe.describeTaskList(tasks, tasks.length, 0));
        return;
      }
      const page = await client.tasks.list({ ...filters, start: flags.start, limit: flags.limit });
      await print(flags, page, (describe) => describe.describeTaskList(page.taskList, page.count, flags.start));
    });

  const caseCommand = program.command('case').description('call the case API of a running server');
  withConnection(caseCommand.command('get'))
    .description('查询工单详情: one case with its tasks, contact and trace')
    .argument('<id>', 'case id')
    .action(async (id: string, flags: ConnectionFlags) => {
      const detail = await clientOf(flags).cases.get(id);
      await print(flags, detail, (describe) => describe.describeCase(detail));
    });

  withConnection(caseCommand.command('close'))
    .description('关闭工单: close a case at the last status of its flow')
    .argument('<id>', 'case id')
    .addOption(new Option('--creator-id <id>', 'who closes it').env('OPENCASE_USER_ID').argParser(nonEmpty).makeOptionMandatory())
    .option('--remark <text>', 'why', nonEmpty)
    .action(async (id: string, flags: ConnectionFlags & { creatorId: string; remark?: string }) => {
      await clientOf(flags).cases.close({ caseId: id, creatorId: flags.creatorId, remark: flags.remark });
      await print(flags, { caseId: id, closed: true }, () => `case ${id} closed`);
    });

  const stats = program.command('stats').description('call the case statistics of a running server');
  withConnection(stats.command('current'))
    .description('查询工单概览: today\'s new, finished, open and overdue cases, and the mean handling time of today\'s finished ones')
    .action(async (flags: ConnectionFlags) => {
      const overview = await clientOf(flags).statistics.current();
      await print(flags, overview, (describe) => describe.describeOverview(overview));
    });

  withConnection(stats.command('report'))
    .description('查询工单总览统计: the figures day by day, newest first (the server\'s default range: the 31 days up to today)')
    .option('--start-time <day>', 'first day, YYYY-MM-DD', nonEmpty)
    .option('--end-time <day>', 'last day, YYYY-MM-DD (default: today)', nonEmpty)
    .option('--case-type-id <id>', 'cases of this type only', nonEmpty)
    .option('--start <n>', 'days to skip, from the newest', wholeNumber, 0)
    .option('--limit <n>', 'days to show (at most 100)', wholeNumber, 100)
    .action(async (flags: ConnectionFlags & { startTime?: string; endTime?: string; caseTypeId?: string; start: number; limit: number }) => {
      const { startTime, endTime, caseTypeId, start, limit } = flags;
      // A flag not given stays undefined, which JSON leaves out of the body.
      const report = await clientOf(flags).statistics.report({ startTime, endTime, caseTypeId, start, limit });
      await print(flags, report, (describe) => describe.describeReport(report, start));
    });
}

/** commander's choices hold the enum flags to the schema's values, so the flags can take the request's own types. */
type TaskListFlags = Pick<ListTasksRequest, 'creatorId' | 'status' | 'priority' | 'classification' | 'ownerId' | 'title' | 'relateId' | 'contactId'>
  & { start: number; limit: number; all?: boolean };

function taskFilters(flags: TaskListFlags): Omit<ListTasksRequest, 'start' | 'limit'> {
  const { creatorId, status, priority, classification, ownerId, title, relateId, contactId } = flags;
  // A flag not given stays undefined, which JSON leaves out of the body; a case's tasks are those related by type Case.
  return { creatorId, status, priority, classification, ownerId, title, relateId, contactId, type: relateId === undefined ? undefined : RELATE_TYPE_CASE };
}
