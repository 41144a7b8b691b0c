/**
 * The envelope, judged over every reply of the run rather than by one request: `resCode` a string, "0" exactly on
 * success, `result` exactly where a page documents one, one success message, and keys in the order of AICC's examples.
 */
import { describeCode, fail, skip, type Context, type Observation } from '../context.js';
import { unsortedObjects } from '../shape.js';

interface Envelope {
  resCode?: unknown;
  resMsg?: unknown;
  result?: unknown;
}

function envelopeOf(observation: Observation): Envelope | undefined {
  return typeof observation.body === 'object' && observation.body !== null && !Array.isArray(observation.body) ? observation.body as Envelope : undefined;
}

const where = (o: Observation) => `${o.method} ${o.call}${o.refusal ? ` (${o.refusal})` : ''}`;

/** The first few offenders, named by call, so that one defect everywhere reads as one line. */
function listed(offenders: string[]): string {
  const unique = [...new Set(offenders)];
  return unique.slice(0, 4).join('; ') + (unique.length > 4 ? `; and ${unique.length - 4} more` : '');
}

export async function envelopeChecks(ctx: Context): Promise<void> {
  const all = ctx.observations;
  // The checks below judge successes: with none, they have nothing to judge (a server that never answers "0").
  const anySuccess = () => {
    if (!all.some((o) => envelopeOf(o)?.resCode === '0')) skip('no reply with resCode "0" to judge');
  };
  await ctx.check('envelope: every reply is a JSON object {resCode, resMsg, …} with resCode a string', async () => {
    const offenders = all.flatMap((o) => {
      const body = envelopeOf(o);
      if (!body) return [`${where(o)} answered HTTP ${o.status} without a JSON object`];
      if (typeof body.resCode !== 'string') return [`${where(o)}: resCode is ${describeCode(body.resCode)}`];
      if (typeof body.resMsg !== 'string') return [`${where(o)}: resMsg is not a string`];
      return [];
    });
    if (offenders.length > 0) fail(listed(offenders));
    return { note: `${all.length} replies`, value: undefined };
  });
  // A request made to be refused is judged by its own check; here, only that "0" never comes with an HTTP error.
  await ctx.check('envelope: resCode "0" comes with HTTP 200 only', async () => {
    anySuccess();
    const offenders = all.flatMap((o) => {
      const body = envelopeOf(o);
      return body?.resCode === '0' && o.status !== 200 ? [`${where(o)} answered resCode "0" with HTTP ${o.status}`] : [];
    });
    if (offenders.length > 0) fail(listed(offenders));
  });
  await ctx.check('envelope: a success carries result exactly where the page documents one (never on a write-only call)', async () => {
    anySuccess();
    const offenders = all.flatMap((o) => {
      const body = envelopeOf(o);
      if (!body || o.probe || o.refusal || body.resCode !== '0') return [];
      const has = Object.hasOwn(body, 'result');
      if (o.documentsResult === true && !has) return [`${where(o)}: no result`];
      if (o.documentsResult === false && has) return [`${where(o)}: a write-only call carries result`];
      return [];
    });
    if (offenders.length > 0) fail(listed(offenders));
  });
  await ctx.check('envelope: resMsg of a success is one message throughout (成功 on the Chinese pages, Success on the English)', async () => {
    anySuccess();
    const messages = new Set(all.flatMap((o) => {
      const body = envelopeOf(o);
      return body?.resCode === '0' && typeof body.resMsg === 'string' ? [body.resMsg] : [];
    }));
    if (messages.size > 1) fail(`successes carry ${messages.size} different messages`);
    const [message] = messages;
    return { note: message === undefined ? 'no success seen' : `resMsg ${message === '成功' || message === 'Success' ? message : 'is neither 成功 nor Success'}`, value: undefined };
  });
  await ctx.check('envelope: keys in the order of AICC\'s examples (sorted, as in caseInfos, customerInfo, taskInfo, taskTrace)', async () => {
    anySuccess();
    const offenders = all.flatMap((o) => {
      const body = envelopeOf(o);
      if (!body || body.resCode !== '0') return [];
      return unsortedObjects(body, `${where(o)}`).slice(0, 1);
    });
    if (offenders.length > 0) fail(listed(offenders));
  });
}
