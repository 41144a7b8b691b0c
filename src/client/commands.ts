import { Command, Option } from 'commander';
import { nonEmpty, wholeNumber } from '../cli-arguments.js';
import { PRIORITIES, RELATE_TYPE_CASE, TASK_CLASSIFICATIONS, TASK_STATUSES } from '../wire/enums.js';
import { OpencaseClient } from './client.js';
import { formatFields, formatTable } from './table.js';
import type { CaseDetail, ListTasksRequest, TaskDetail, TaskListItem } from './types.js';

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

function print(flags: ConnectionFlags, value: unknown, readable: () => string): void {
  process.stdout.write(`${flags.json ? JSON.stringify(value) : readable()}\n`);
}

/** `opencase token`, `opencase task get|list`, `opencase case get`: the API from a shell, through the typed client. */
export function addClientCommands(program: Command, tokenCommand: Command): void {
  withConnection(tokenCommand.command('get', { isDefault: true }))
    .description('fetch an access token (client credentials) and print it with its expiry')
    .action(async (flags: ConnectionFlags) => {
      const token = await clientOf(flags).token();
      const printed = { accessToken: token.accessToken, expiresAt: token.expiresAt.toISOString() };
      print(flags, printed, () => formatFields([['access_token', printed.accessToken], ['expires_at', printed.expiresAt]]));
    });

  const task = program.command('task').description('call the task API of a running server');
  withConnection(task.command('get'))
    .description('查询任务详情: one task with its cases, contact and trace')
    .argument('<id>', 'task id')
    .action(async (id: string, flags: ConnectionFlags) => {
      const detail = await clientOf(flags).tasks.get(id);
      print(flags, detail, () => describeTask(detail));
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
        print(flags, { count: tasks.length, taskList: tasks }, () => describeTaskList(tasks, tasks.length, 0));
        return;
      }
      const page = await client.tasks.list({ ...filters, start: flags.start, limit: flags.limit });
      print(flags, page, () => describeTaskList(page.taskList, page.count, flags.start));
    });

  const caseCommand = program.command('case').description('call the case API of a running server');
  withConnection(caseCommand.command('get'))
    .description('查询工单详情: one case with its tasks, contact and trace')
    .argument('<id>', 'case id')
    .action(async (id: string, flags: ConnectionFlags) => {
      const detail = await clientOf(flags).cases.get(id);
      print(flags, detail, () => describeCase(detail));
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

function describeTaskList(tasks: TaskListItem[], count: number, start: number): string {
  const table = formatTable(['ID', 'STATUS', 'PRIORITY', 'OWNER', 'CREATED', 'TITLE'],
    tasks.map((item) => [item.taskId, item.status, item.priority, item.ownerName ?? item.ownerId, item.createdDate, item.title]));
  const shown = tasks.length === 0 ? 'none' : `${start + 1}-${start + tasks.length}`;
  return `${table}\n\n${shown} of ${count}`;
}

function describeTask(detail: TaskDetail): string {
  const task = detail.taskInfo;
  const sections = [formatFields([
    ['task', `${task.id} (No. ${task.taskNo})`],
    ['title', task.title],
    ['status', task.status],
    ['priority', task.priority],
    ['owner', task.ownerName ? `${task.ownerName} (${task.ownerId})` : task.ownerId],
    ['creator', `${task.creatorName} (${task.creatorId})`],
    ['created', task.createdDate],
    ['due', task.dueDate],
    ['closed', task.closedDate],
    ['contact', task.contactId],
    ['description', task.description],
  ])];
  if (detail.caseInfos.length > 0) {
    sections.push(`cases (${detail.caseInfos.length})\n${formatTable(['ID', 'NO.', 'STATUS', 'TITLE'], detail.caseInfos.map((item) => [item.id, item.caseNo, item.status, item.title]))}`);
  }
  sections.push(describeTrace(detail.taskTrace));
  return sections.join('\n\n');
}

function describeCase(detail: CaseDetail): string {
  const item = detail.caseInfo;
  const sections = [formatFields([
    ['case', `${item.id} (No. ${item.caseNo})`],
    ['title', item.title],
    ['status', item.status],
    ['state', item.state],
    ['priority', item.priority],
    ['owner', item.ownerId],
    ['creator', item.creatorId],
    ['created', item.createdDate],
    ['due', item.dueDate],
    ['closed', item.closedDate],
    ['contact', detail.customerInfo?.customerInfo.name ? `${detail.customerInfo.customerInfo.name} (${item.contactId})` : item.contactId],
    ['following', detail.isFollower ? 'yes' : 'no'],
    ['description', item.description],
  ])];
  if (detail.tasks.length > 0) {
    sections.push(`tasks (${detail.tasks.length})\n${formatTable(['ID', 'STATUS', 'PRIORITY', 'OWNER', 'TITLE'], detail.tasks.map((task) => [task.id, task.status, task.priority, task.ownerName ?? task.ownerId, task.title]))}`);
  }
  sections.push(describeTrace(detail.caseTrace));
  return sections.join('\n\n');
}

function describeTrace(trace: TaskDetail['taskTrace']): string {
  return `trace (${trace.length}, oldest first)\n${formatTable(['TYPE', 'BY', 'TITLE', 'DESCRIPTION'], trace.map((entry) => [entry.type, entry.creatorName, entry.title, entry.description]))}`;
}
