/**
 * What AICC has no call for and opencase makes through its own extensions (/opencase/v1/): a case type for the kit to
 * write in, with a template, and a second user to assign to. On any other server these calls fail and the kit says
 * what a person must make instead.
 */
import type { Context } from '../context.js';

export const CASE_TYPE_PREFIX = 'conformance-';
const KIT_TEMPLATE = 'conformance-template';
const KIT_TEMPLATE_FIELD = 'AICC__conformanceNote__CST';
const KIT_ASSIGNEE = 'conformance-assignee';

/** A call of the extensions with the run's token: its `result`, or undefined unless it answered HTTP 200. */
async function extension(ctx: Context, method: 'GET' | 'POST', path: string, json?: unknown): Promise<Record<string, unknown> | undefined> {
  const reply = await ctx.http.send({ method, path: `/opencase/v1/${path}`, headers: { 'access-token': ctx.token ?? '' }, ...(json !== undefined && { json }) });
  const result = (reply.body as { result?: unknown } | undefined)?.result;
  return reply.status === 200 && typeof result === 'object' && result !== null ? result as Record<string, unknown> : undefined;
}

/** A case type named `name` with `flow`, and a template of one text field: its id, or undefined off opencase. */
export async function makeKitCaseType(ctx: Context, name: string, flow: string): Promise<string | undefined> {
  const template = await extension(ctx, 'POST', 'case-templates', {
    name: KIT_TEMPLATE, description: 'The template of opencase conformance\'s case type', fields: [{ name: KIT_TEMPLATE_FIELD, label: 'conformance note', type: 'text', maxLength: 100 }],
  });
  const made = await extension(ctx, 'POST', 'case-types', {
    typeName: name, caseStatus: flow, isStrctOrder: false,
    description: 'Cases made by opencase conformance --write; each is closed or cancelled by the run that made it.',
    ...(typeof template?.templateId === 'string' && { templateId: template.templateId }),
  });
  return typeof made?.caseTypeId === 'string' ? made.caseTypeId : undefined;
}

/** The first text field of a template, read through the extension; undefined off opencase. */
export async function textFieldOf(ctx: Context, templateId: string): Promise<string | undefined> {
  const template = await extension(ctx, 'GET', `case-templates/${templateId}`);
  const fields = Array.isArray(template?.fields) ? template.fields as { name?: unknown; type?: unknown }[] : [];
  const field = fields.find((candidate) => candidate.type === 'text' && typeof candidate.name === 'string');
  return field?.name as string | undefined;
}

/** A user named conformance-assignee (found, or made as an agent); undefined off opencase. */
export async function kitAssignee(ctx: Context): Promise<string | undefined> {
  const listed = await extension(ctx, 'GET', 'users?start=0&limit=100');
  const users = Array.isArray(listed?.users) ? listed.users as { id?: unknown; name?: unknown; status?: unknown }[] : [];
  const known = users.find((user) => user.name === KIT_ASSIGNEE && user.status === 'active');
  if (typeof known?.id === 'string') return known.id;
  const made = await extension(ctx, 'POST', 'users', { name: KIT_ASSIGNEE, role: 'agent' });
  return typeof made?.userId === 'string' ? made.userId : undefined;
}
