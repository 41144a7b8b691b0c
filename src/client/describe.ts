/** The CLI client's readable output: records as name-value lines, lists as tables. */
import { formatFields, formatTable } from './table.js';
import type { AccessToken } from './client.js';
import type { CaseDetail, CaseOverview, CaseReport, TaskDetail, TaskListItem } from './types.js';

export function describeToken(token: AccessToken): string {
  return formatFields([['access_token', token.accessToken], ['expires_at', token.expiresAt.toISOString()]]);
}

export function describeTaskList(tasks: TaskListItem[], count: number, start: number): string {
  const table = formatTable(['ID', 'STATUS', 'PRIORITY', 'OWNER', 'CREATED', 'TITLE'],
    tasks.map((item) => [item.taskId, item.status, item.priority, item.ownerName ?? item.ownerId, item.createdDate, item.title]));
  const shown = tasks.length === 0 ? 'none' : `${start + 1}-${start + tasks.length}`;
  return `${table}\n\n${shown} of ${count}`;
}

export function describeTask(detail: TaskDetail): string {
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

export function describeCase(detail: CaseDetail): string {
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

export function describeOverview(overview: CaseOverview): string {
  return formatFields([
    ['new today', overview.newCases],
    ['finished today', overview.finishedCases],
    ['open', overview.unfinishedCases],
    ['overdue', overview.overCases],
    ['mean days to finish', overview.averageDuration],
  ]);
}

export function describeReport(report: CaseReport, start: number): string {
  const rows = report.caseStatisticsList;
  const type = rows[0]?.caseTypeName ?? rows[0]?.caseType;
  const table = formatTable(['DATE', 'NEW', 'FINISHED', 'OPEN', 'OVERDUE', 'MEAN DAYS'],
    rows.map((row) => [row.date, row.newCases, row.finishedCases, row.unfinishedCases, row.overCases, row.averageDuration]));
  const shown = rows.length === 0 ? 'none' : `${start + 1}-${start + rows.length}`;
  return `${type ? `case type ${type}\n` : ''}${table}\n\n${shown} of ${report.count} days`;
}
