/**
 * One run of the kit: the checks' results in order, every exchange it saw (the envelope checks and the profile are
 * drawn from them), and what must never reach a report (secrets, tokens, customers' data).
 */
import { Http, TransportError, type Exchange, type Request } from './http.js';
import { departures, type Shape } from './shape.js';

export const AICC_PREFIX = '/service/AICC__Case/1.0.0/openapi';
export const TOKEN_PATH = '/baas/auth/v1.0/oauth2/token';

export type Outcome = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  outcome: Outcome;
  /** Why it failed or was skipped, or what it found when it passed. Never a value from a reply. */
  message: string;
  ms: number;
}

/** One reply of the AICC family: the call (as its path template), what the kit meant, and what came back. */
export interface Observation {
  call: string;
  method: 'GET' | 'POST';
  /** Set for a request meant to be refused: what is wrong with it. */
  refusal?: string;
  /** For a call meant to succeed: whether AICC documents a `result` for it. */
  documentsResult?: boolean;
  /** Set for a request whose answer AICC leaves open: recorded in the profile, judged by no check but resCode's type. */
  probe?: string;
  status: number;
  body: unknown;
}

export class Failure extends Error {}
export class Skipped extends Error {}

export function fail(message: string): never {
  throw new Failure(message);
}
export function skip(reason: string): never {
  throw new Skipped(reason);
}

/** Keys whose values are people's data: collected from every reply so that no report can carry them. */
const PERSONAL_KEYS = new Set([
  'customerName', 'name', 'nickName', 'firstName', 'middleName', 'lastName', 'cellPhone1', 'cellPhone2', 'cellPhone3',
  'phone', 'phone1', 'phone2', 'phone3', 'phoneNumber1', 'phoneNumber2', 'fixedPhone', 'contactPhone', 'email', 'email1',
  'email2', 'fax', 'birthDay', 'street', 'ownerName', 'creatorName', 'lastModifiedName', 'fromName', 'toAddress',
  'organizationName', 'addressLine1', 'addressLine2', 'addressLine3', 'addressLine4', 'addressLine5', 'buildingNo', 'roomNo',
]);

export interface RunOptions {
  url: string;
  clientId: string;
  clientSecret: string;
  write: boolean;
  /** For --write: the user the kit acts as and assigns to, the contact its cases are for, the case type to work in. */
  userId?: string;
  assigneeId?: string;
  contactId?: string;
  caseTypeId?: string;
  templateField?: string;
  /** Called as each check ends, for a live listing. */
  onResult?: (result: CheckResult, secrets: ReadonlySet<string>) => void;
}

export class Context {
  readonly http: Http;
  readonly results: CheckResult[] = [];
  readonly observations: Observation[] = [];
  /** Token replies, by what the kit sent ("form body", "an unknown client_id", …). */
  readonly tokenReplies: { label: string; status: number; body: unknown }[] = [];
  /** Strings no report may hold. */
  readonly secrets = new Set<string>();
  token: string | undefined;
  /** A per-run mark in every title the kit writes, so that its records can be found and told apart. */
  readonly runId = `cf${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  constructor(readonly options: RunOptions) {
    this.http = new Http(new URL(options.url).origin);
    this.secrets.add(options.clientSecret);
  }

  /** Runs one check and records it; its value (or undefined when it did not pass) goes back to the caller. */
  async check<T>(name: string, body: () => Promise<T | { note: string; value: T }>): Promise<T | undefined> {
    const started = performance.now();
    let outcome: Outcome = 'pass';
    let message = '';
    let value: T | undefined;
    try {
      const returned = await body();
      if (typeof returned === 'object' && returned !== null && 'note' in returned && 'value' in returned) {
        message = returned.note;
        value = returned.value;
      } else value = returned as T;
    } catch (error) {
      outcome = error instanceof Skipped ? 'skip' : 'fail';
      message = error instanceof Failure || error instanceof Skipped || error instanceof TransportError
        ? error.message : `the kit broke: ${error instanceof Error ? error.message : String(error)}`;
    }
    const result = { name, outcome, message, ms: Math.round(performance.now() - started) };
    this.results.push(result);
    this.options.onResult?.(result, this.secrets);
    return outcome === 'pass' ? value : undefined;
  }

  /** Records a check whose outcome is already known (one that needs what an earlier check could not find). */
  record(name: string, outcome: Outcome, message: string): void {
    const result = { name, outcome, message, ms: 0 };
    this.results.push(result);
    this.options.onResult?.(result, this.secrets);
  }

  /** The token call, unenveloped. */
  async tokenCall(label: string, request: Omit<Request, 'path'> & { query?: Record<string, string> }): Promise<Exchange> {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    const exchange = await this.http.send({ method: request.method, headers: request.headers ?? {}, form: request.form, path: `${TOKEN_PATH}${query}` });
    const token = (exchange.body as { access_token?: unknown } | undefined)?.access_token;
    if (typeof token === 'string') this.secrets.add(token);
    this.tokenReplies.push({ label, status: exchange.status, body: exchange.body });
    return exchange;
  }

  /**
   * A call of the AICC family with the run's token (or the headers given). `call` is the path template it is
   * reported under; `refusal`, when set, says what is wrong with the request.
   */
  async api(call: string, request: Request & { refusal?: string; probe?: string; documentsResult?: boolean }): Promise<Exchange> {
    const headers = request.headers ?? (this.token ? { 'access-token': this.token } : {});
    const exchange = await this.http.send({ ...request, headers, path: `${AICC_PREFIX}/${request.path}` });
    this.collectPersonal(exchange.body);
    this.observations.push({
      call, method: request.method, status: exchange.status, body: exchange.body,
      ...(request.refusal !== undefined && { refusal: request.refusal }),
      ...(request.probe !== undefined && { probe: request.probe }),
      ...(request.documentsResult !== undefined && { documentsResult: request.documentsResult }),
    });
    return exchange;
  }

  collectPersonal(value: unknown, key = ''): void {
    if (Array.isArray(value)) for (const item of value) this.collectPersonal(item, key);
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) this.collectPersonal(v, k);
    else if (typeof value === 'string' && value.length >= 3 && PERSONAL_KEYS.has(key)) this.secrets.add(value);
  }
}

/** The reply's `result` after checking that the call succeeded: HTTP 200, a string resCode "0". */
export function succeeded(exchange: Exchange, what: string): unknown {
  const body = exchange.body as { resCode?: unknown; resMsg?: unknown; result?: unknown } | undefined;
  if (typeof body !== 'object' || body === null) fail(`${what} answered HTTP ${exchange.status} without a JSON envelope`);
  if (exchange.status !== 200 || body.resCode !== '0') {
    fail(`${what} answered HTTP ${exchange.status} with resCode ${describeCode(body.resCode)}${typeof body.resMsg === 'string' ? ` (resMsg: ${clip(body.resMsg)})` : ''}`);
  }
  return body.result;
}

/** That a request the kit made wrong was refused: a 4xx, a string resCode other than "0", a resMsg, no result. */
export function refused(exchange: Exchange, what: string): void {
  const body = exchange.body as { resCode?: unknown; resMsg?: unknown; result?: unknown } | undefined;
  if (exchange.status >= 500) fail(`${what}: answered HTTP ${exchange.status}; a client's mistake must be a 4xx`);
  if (exchange.status < 400) {
    fail(`${what}: answered HTTP ${exchange.status}${typeof body === 'object' && body !== null ? ` with resCode ${describeCode(body.resCode)}` : ''}; it must be refused with a 4xx`);
  }
  if (typeof body !== 'object' || body === null) fail(`${what}: HTTP ${exchange.status} without a JSON envelope`);
  if (typeof body.resCode !== 'string') fail(`${what}: resCode is ${describeCode(body.resCode)}; AICC's resCode is a string`);
  if (body.resCode === '0') fail(`${what}: HTTP ${exchange.status} with resCode "0", which means success`);
  if (typeof body.resMsg !== 'string' || body.resMsg === '') fail(`${what}: no resMsg saying why`);
  if (Object.hasOwn(body, 'result')) fail(`${what}: a refusal carries a result`);
}

/** Checks a value against one of AICC's shapes, failing with the first departures found. */
export function conforms(value: unknown, shape: Shape, path: string): void {
  const found = departures(value, shape, path);
  if (found.length > 0) fail(found.join('; '));
}

export function describeCode(code: unknown): string {
  return typeof code === 'string' ? JSON.stringify(code.slice(0, 40)) : code === undefined ? 'absent' : `a ${typeof code} (${JSON.stringify(code)})`;
}

/** A server's message, quoted short: messages are the server's words, but may echo what was sent. */
function clip(message: string): string {
  return message.length > 120 ? `${message.slice(0, 120)}…` : message;
}
