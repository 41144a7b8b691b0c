import { AICC_PREFIX, EXTENSIONS_PREFIX, IDEMPOTENCY_KEY_HEADER, KEEPS_KEYS_HEADER, TOKEN_PATH } from '../wire/paths.js';

/** Where a person signs in, refreshes and signs out. */
const SESSION_PATH = `${EXTENSIONS_PREFIX}/session`;
import { OpencaseError } from './errors.js';
import type {
  BulkCaseRequest, BulkCaseResult, CaseActionRequest, Contact, ContactList, CreateCaseTypeRequest, CreateCaseTypeResult, CreateContactRequest, CreateContactResult,
  CreateQueueRequest, CreateQueueResult, CreateUserRequest, CreateUserResult, FollowRequest, ListContactsRequest, PageRequest,
  PasswordLink, QueueList, SearchCasesRequest, ErasedContact, SignedIn, SignInRequest, QueueMembers, Trace, TracePage, TracesRequest, UpdateCaseTypeRequest, UpdateContactRequest, UpdateUserRequest, User, UserList,
  CaseTemplate, CaseTemplateList, CreateTemplateRequest, CreateTemplateResult, UpdateTemplateRequest,
  CreatedWebhook, CreateWebhookRequest, RotatedWebhookSecret, UpdateWebhookRequest, Webhook, WebhookAttempt, WebhookDeliveries, WebhookList,
} from './types.js';
import type {
  CancelCaseRequest, CaseDetail, CaseOverview, CaseReport, CaseReportRequest, CloseCaseRequest, ReopenCaseRequest, CaseList, CaseListItem, CaseTypeDetail, CaseTypeList, CreateCaseRequest, CreateCaseResult,
  CreateTaskRequest, CreateTaskResult, ListCasesRequest, ListCaseTypesRequest, ListTasksRequest, ModifyCaseRequest,
  ModifyTaskRequest, ProcessCaseRequest, ProcessTaskRequest, TaskDetail, TaskList, TaskListItem, TokenReply,
  TransferCaseRequest, TransferTaskRequest, UpdateCaseStatusRequest, UpdateTaskStatusRequest,
} from './types.js';

/**
 * How the client gets its tokens: an API app's client credentials (AICC's token call), or a person's sign-in session
 * with opencase (`signIn`, then the refresh cookie the server set, which a browser keeps and sends by itself).
 */
export type ClientCredentials = { clientId: string; clientSecret: string } | { session: true };

export type OpencaseClientOptions = ClientCredentials & {
  /** The server's origin, e.g. `http://127.0.0.1:8080` or an AICC tenant's `https://<domain>`; `''` in a page it serves. */
  baseUrl: string | URL;
  /**
   * How many times a call is sent again (default 3): after a 429; after a 503, a timeout or a lost connection when it
   * is a read or the server keeps Idempotency-Keys (opencase does; a write to another server might be done twice).
   */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the 429 or 503 is thrown at once (default 30 s). */
  maxRetryDelayMs?: number;
  /** A token is replaced this long before it expires (default: 60 s, or half its lifetime if that is shorter). */
  refreshMarginMs?: number;
  /** Each attempt is abandoned after this long (default 30 s). */
  timeoutMs?: number;
  /**
   * How task detail is asked for. AICC's newest Chinese page (the one opencase is founded on) says GET; its older page
   * and the English ones say POST with `{"id"}` in the body. opencase answers both; an AICC tenant may answer one.
   */
  taskDetailMethod?: 'GET' | 'POST';
  /** Another fetch (a proxy agent, a test double); the default is the global one. */
  fetch?: typeof globalThis.fetch;
};

export interface AccessToken {
  accessToken: string;
  expiresAt: Date;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
/** A list request without its paging: `listAll` pages by itself. */
type Unpaged<Request> = Omit<Request, 'start' | 'limit'>;

/** The most a list page may hold (AICC's limit maximum). */
const PAGE_SIZE = 100;

/**
 * A client of the AICC Case 2.0 API, for opencase or a real AICC tenant: it fetches the token (client credentials)
 * and renews it before it expires, sends it as `access-token`, unwraps `{resCode, resMsg, result}`, throws every
 * failure as one {@link OpencaseError}, and sends a call again once Retry-After has passed: a read whatever stopped it,
 * a write (with its Idempotency-Key) after a 429, or after a 503, a timeout or a lost connection to a server that keeps
 * keys.
 */
export class OpencaseClient {
  readonly #baseUrl: string;
  readonly #credentials: ClientCredentials;
  readonly #maxRetries: number;
  readonly #maxRetryDelayMs: number;
  readonly #refreshMarginMs: number | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof globalThis.fetch;
  readonly #taskDetailMethod: 'GET' | 'POST';
  #token: { value: AccessToken; renewAt: number } | undefined;
  /** Session mode: who the last sign-in or refresh said the client acts as. */
  #signedIn: SignedIn | undefined;
  /** The token call in flight: concurrent calls share it rather than each fetching a token. */
  #pendingToken: Promise<AccessToken> | undefined;
  /** Whether the server said (on any reply, the token's first) that it keeps Idempotency-Keys. */
  #serverKeepsKeys = false;

  constructor(options: OpencaseClientOptions) {
    this.#baseUrl = String(options.baseUrl).replace(/\/+$/, '');
    this.#credentials = 'session' in options ? { session: true } : { clientId: options.clientId, clientSecret: options.clientSecret };
    this.#maxRetries = options.maxRetries ?? 3;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.#refreshMarginMs = options.refreshMarginMs;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    // Bound: a browser's fetch called as a method of another object throws "Illegal invocation".
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#taskDetailMethod = options.taskDetailMethod ?? 'GET';
  }

  /** 工单任务 (V2.0). */
  readonly tasks = {
    /** 查询任务详情: the task, its cases, its contact and its trace. */
    get: (id: string) => this.#read<TaskDetail>(this.#taskDetailMethod, `${AICC_PREFIX}/task/${encodeURIComponent(id)}`,
      this.#taskDetailMethod === 'POST' ? { id } : undefined),
    /** 查询任务列表: one page and the total `count`. */
    /** No AICC example shows this reply: an object (opencase's default) or wrapped in a one-element array are both taken. */
    list: async (request: ListTasksRequest) => onlyItem(await this.#read<TaskList | TaskList[]>('POST', `${AICC_PREFIX}/task/list`, request)),
    /**
     * Every task the filters match, page after page (AICC pages by offset: a task created meanwhile may show twice, and
     * one that stops matching meanwhile may be missed; `traces.listAll` is the feed that misses nothing).
     */
    listAll: (request: Unpaged<ListTasksRequest>): AsyncGenerator<TaskListItem> =>
      this.#pages((start) => this.tasks.list({ ...request, start, limit: PAGE_SIZE }), (page) => [page.taskList, page.count]),
    create: (request: CreateTaskRequest) => this.request<CreateTaskResult>('POST', `${AICC_PREFIX}/task`, request),
    modify: (request: ModifyTaskRequest) => this.request<void>('POST', `${AICC_PREFIX}/task/modify`, request),
    transfer: (request: TransferTaskRequest) => this.request<void>('POST', `${AICC_PREFIX}/task/transfer`, request),
    updateStatus: (request: UpdateTaskStatusRequest) => this.request<void>('POST', `${AICC_PREFIX}/task/status/update`, request),
    process: (request: ProcessTaskRequest) => this.request<void>('POST', `${AICC_PREFIX}/task/process`, request),
  };

  /** 工单 (V2.0). */
  readonly cases = {
    /** 查询工单详情. AICC's captured example wraps the detail in a one-element array, its table does not: either is taken. */
    get: async (id: string) => onlyItem(await this.request<CaseDetail | CaseDetail[]>('GET', `${AICC_PREFIX}/case/${encodeURIComponent(id)}`)),
    /** 查询工单列表: the page itself (AICC wraps it in a one-element array; this unwraps it). */
    list: async (request: ListCasesRequest): Promise<CaseList> =>
      onlyItem(await this.#read<CaseList | CaseList[]>('POST', `${AICC_PREFIX}/case/list`, request)),
    listAll: (request: Unpaged<ListCasesRequest>): AsyncGenerator<CaseListItem> =>
      this.#pages((start) => this.cases.list({ ...request, start, limit: PAGE_SIZE }), (page) => [page.caseList, page.count]),
    create: (request: CreateCaseRequest) => this.request<CreateCaseResult>('POST', `${AICC_PREFIX}/case`, request),
    modify: (request: ModifyCaseRequest) => this.request<void>('POST', `${AICC_PREFIX}/case/modify`, request),
    transfer: (request: TransferCaseRequest) => this.request<void>('POST', `${AICC_PREFIX}/case/transfer`, request),
    process: (request: ProcessCaseRequest) => this.request<void>('POST', `${AICC_PREFIX}/case/process`, request),
    cancel: (request: CancelCaseRequest) => this.request<void>('POST', `${AICC_PREFIX}/case/cancel`, request),
    /** 修改工单状态: a flow transition (AICC's `status/update`, not under `case/`). */
    updateStatus: (request: UpdateCaseStatusRequest) => this.request<void>('POST', `${AICC_PREFIX}/status/update`, request),
    /** 关闭工单: at the last status of its flow (AICC's `close`, not under `case/`); a closed case takes no more changes. */
    close: (request: CloseCaseRequest) => this.request<void>('POST', `${AICC_PREFIX}/close`, request),
    /** opencase: reopen a closed case (AICC has no reopen call). */
    reopen: (id: string, request: ReopenCaseRequest = {}) => this.request<void>('POST', `${EXTENSIONS_PREFIX}/cases/${encodeURIComponent(id)}/reopen`, request),
    /** opencase: pause the case's clock (AICC's console has it; its API does not). */
    suspend: (id: string, request: CaseActionRequest = {}) => this.request<void>('POST', `${EXTENSIONS_PREFIX}/cases/${encodeURIComponent(id)}/suspend`, request),
    resume: (id: string, request: CaseActionRequest = {}) => this.request<void>('POST', `${EXTENSIONS_PREFIX}/cases/${encodeURIComponent(id)}/resume`, request),
    follow: (id: string, request: FollowRequest = {}) => this.request<void>('POST', `${EXTENSIONS_PREFIX}/cases/${encodeURIComponent(id)}/follow`, request),
    unfollow: (id: string, request: FollowRequest = {}) => this.request<void>('POST', `${EXTENSIONS_PREFIX}/cases/${encodeURIComponent(id)}/unfollow`, request),
    /** opencase: the console's queue — views (mine, my queues, unassigned…), a state filter and a sort; a page as list's. */
    search: (request: SearchCasesRequest) => this.#read<CaseList>('POST', `${EXTENSIONS_PREFIX}/cases/search`, request),
    /**
     * opencase: assign, move along the flow or prioritize up to 100 cases in one transaction. It does not throw for a
     * case that fails: each has its result (`resCode` "0", or the error its single call would answer) and nothing
     * written; it throws for what fails the whole request (a 400 of the body, a 503 of the database).
     */
    bulk: (request: BulkCaseRequest) => this.request<BulkCaseResult>('POST', `${EXTENSIONS_PREFIX}/cases/bulk`, request),
  };

  readonly caseTypes = {
    get: (id: string) => this.request<CaseTypeDetail>('GET', `${AICC_PREFIX}/caseType/${encodeURIComponent(id)}`),
    list: (request: ListCaseTypesRequest) => this.#read<CaseTypeList>('POST', `${AICC_PREFIX}/caseType/list`, request),
    /** opencase: a case type with its flow (AICC configures these in its console). */
    create: (request: CreateCaseTypeRequest) => this.request<CreateCaseTypeResult>('POST', `${EXTENSIONS_PREFIX}/case-types`, request),
    update: (id: string, request: UpdateCaseTypeRequest) => this.request<void>('PATCH', `${EXTENSIONS_PREFIX}/case-types/${encodeURIComponent(id)}`, request),
  };

  /** 工单统计: the tenant's case figures, today's and day by day. */
  readonly statistics = {
    /** 查询工单概览: today's new, finished, open and overdue cases, and the mean handling time of today's finished ones, in days. */
    current: () => this.request<CaseOverview>('GET', `${AICC_PREFIX}/statistics/case/current`),
    /** 查询工单总览统计: one row per day (`YYYY-MM-DD`), newest first, a page of them; `count` is the number of days. */
    report: (request: CaseReportRequest) => this.#read<CaseReport>('POST', `${AICC_PREFIX}/statistics/case/report`, request),
  };

  /** opencase: case templates, the custom fields (`…__CST`) a case type's cases carry. */
  readonly caseTemplates = {
    create: (request: CreateTemplateRequest) => this.request<CreateTemplateResult>('POST', `${EXTENSIONS_PREFIX}/case-templates`, request),
    list: (page: { start?: number; limit?: number } = {}) => this.request<CaseTemplateList>('GET', `${EXTENSIONS_PREFIX}/case-templates${queryString(page)}`),
    get: (id: string) => this.request<CaseTemplate>('GET', `${EXTENSIONS_PREFIX}/case-templates/${encodeURIComponent(id)}`),
    update: (id: string, request: UpdateTemplateRequest) => this.request<void>('PATCH', `${EXTENSIONS_PREFIX}/case-templates/${encodeURIComponent(id)}`, request),
  };

  /** opencase: the tenant's users (agents, supervisors, admins); creating and changing them takes an admin. */
  readonly users = {
    create: (request: CreateUserRequest) => this.request<CreateUserResult>('POST', `${EXTENSIONS_PREFIX}/users`, request),
    list: (request: PageRequest = {}) => this.request<UserList>('GET', `${EXTENSIONS_PREFIX}/users${queryString(request)}`),
    get: (id: string) => this.request<User>('GET', `${EXTENSIONS_PREFIX}/users/${encodeURIComponent(id)}`),
    /** Name, login, role or status; `status: "disabled"` ends the user's sessions at once. */
    update: (id: string, request: UpdateUserRequest) => this.request<User>('PATCH', `${EXTENSIONS_PREFIX}/users/${encodeURIComponent(id)}`, request),
    /** A one-time set-password link's token, for the user to send with its new password to `POST /opencase/v1/password`. */
    passwordLink: (id: string) => this.request<PasswordLink>('POST', `${EXTENSIONS_PREFIX}/users/${encodeURIComponent(id)}/password-link`, {}),
  };

  /** opencase: queues (skill groups) cases can be assigned to. */
  readonly queues = {
    create: (request: CreateQueueRequest) => this.request<CreateQueueResult>('POST', `${EXTENSIONS_PREFIX}/queues`, request),
    list: (request: PageRequest = {}) => this.request<QueueList>('GET', `${EXTENSIONS_PREFIX}/queues${queryString(request)}`),
    /** Who works the cases a queue owns: an agent changes them as its own. */
    members: (id: string) => this.request<QueueMembers>('GET', `${EXTENSIONS_PREFIX}/queues/${encodeURIComponent(id)}/members`),
    addMember: (id: string, userId: string) => this.request<void>('PUT', `${EXTENSIONS_PREFIX}/queues/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`, {}),
    removeMember: (id: string, userId: string) => this.request<void>('DELETE', `${EXTENSIONS_PREFIX}/queues/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`, {}),
  };

  /** opencase: contacts (customers). */
  readonly contacts = {
    create: (request: CreateContactRequest) => this.request<CreateContactResult>('POST', `${EXTENSIONS_PREFIX}/contacts`, request),
    list: (request: ListContactsRequest = {}) => this.request<ContactList>('GET', `${EXTENSIONS_PREFIX}/contacts${queryString(request)}`),
    get: (id: string) => this.request<Contact>('GET', `${EXTENSIONS_PREFIX}/contacts/${encodeURIComponent(id)}`),
    update: (id: string, request: UpdateContactRequest) => this.request<void>('PATCH', `${EXTENSIONS_PREFIX}/contacts/${encodeURIComponent(id)}`, request),
    /** Erases its personal data on request (an admin): its fields, its address, its cases' copy of its phone and that phone in their history. */
    erase: (id: string) => this.request<ErasedContact>('POST', `${EXTENSIONS_PREFIX}/contacts/${encodeURIComponent(id)}/erase`, {}),
  };

  /** opencase: webhooks, each change pushed to an endpoint, signed (Standard Webhooks); admins only. */
  readonly webhooks = {
    /** `{webhookId, secret}`: keep the secret, it is shown only here. */
    create: (request: CreateWebhookRequest) => this.request<CreatedWebhook>('POST', `${EXTENSIONS_PREFIX}/webhooks`, request),
    list: (request: PageRequest = {}) => this.request<WebhookList>('GET', `${EXTENSIONS_PREFIX}/webhooks${queryString(request)}`),
    get: (id: string) => this.request<Webhook>('GET', `${EXTENSIONS_PREFIX}/webhooks/${encodeURIComponent(id)}`),
    /** `active: true` starts a disabled endpoint again from the change it stopped at. */
    update: (id: string, request: UpdateWebhookRequest) => this.request<Webhook>('PATCH', `${EXTENSIONS_PREFIX}/webhooks/${encodeURIComponent(id)}`, request),
    delete: (id: string) => this.request<void>('DELETE', `${EXTENSIONS_PREFIX}/webhooks/${encodeURIComponent(id)}`, {}),
    /** A new secret; the previous one signs beside it for 24 hours. */
    rotateSecret: (id: string) => this.request<RotatedWebhookSecret>('POST', `${EXTENSIONS_PREFIX}/webhooks/${encodeURIComponent(id)}/rotate-secret`, {}),
    /** A signed `webhook.ping` sent now, and what the endpoint answered. */
    ping: (id: string) => this.request<WebhookAttempt>('POST', `${EXTENSIONS_PREFIX}/webhooks/${encodeURIComponent(id)}/ping`, {}),
    /** The delivery log, newest first. */
    deliveries: (id: string, request: PageRequest = {}) => this.request<WebhookDeliveries>('GET', `${EXTENSIONS_PREFIX}/webhooks/${encodeURIComponent(id)}/deliveries${queryString(request)}`),
    /** A change delivered before, sent once more now with its webhook-id. */
    redeliver: (id: string, deliveryId: string) => this.request<WebhookAttempt>(
      'POST', `${EXTENSIONS_PREFIX}/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, {},
    ),
  };

  /** opencase: every change of the tenant, in commit order. */
  readonly traces = {
    /** One page after the cursor `after` ("0": from the beginning); carry on from its `nextCursor`. */
    list: (request: TracesRequest = {}) => this.request<TracePage>('GET', `${EXTENSIONS_PREFIX}/traces${queryString(request)}`),
    /** Every trace after the cursor, page after page, until there are none newer. */
    listAll: (after = '0'): AsyncGenerator<Trace> => this.#traceFeed(after),
  };

  /**
   * opencase: the tenant's change feed live (`GET /opencase/v1/changes`, server-sent events read from a streamed fetch, so
   * that the token travels in its header, never in a URL): each entry once, in order, from now or after the seq
   * `after`. It ends when the server ends the stream or `signal` aborts; to go on, call again with the last entry's seq.
   */
  async *changes(options: { after?: number; signal?: AbortSignal } = {}): AsyncGenerator<Trace> {
    const path = `${EXTENSIONS_PREFIX}/changes${options.after !== undefined ? `?after=${options.after}` : ''}`;
    const { signal } = options;
    let response: Response | undefined;
    for (let renewed = false; ; renewed = true) {
      const token = await this.token();
      try {
        response = await this.#fetch(`${this.#baseUrl}${path}`, {
          headers: { 'access-token': token.accessToken, accept: 'text/event-stream' }, ...(signal && { signal }),
        });
      } catch (error) {
        if (signal?.aborted) return;
        throw error;
      }
      // A token ended early: one new token, as every other call does.
      if (response.status !== 401 || renewed) break;
      await response.body?.cancel();
      this.#token = undefined;
    }
    if (!response.ok || !response.body) {
      const text = await response.text();
      throw failureOf(response, parseJson(text) ?? text);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let buffer = '';
      for (;;) {
        let chunk: ReadableStreamReadResult<string>;
        try {
          chunk = await reader.read();
        } catch (error) {
          // Aborted by the caller: the feed ends, as it was asked to.
          if (signal?.aborted) return;
          throw error;
        }
        const { value, done } = chunk;
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = buffer.slice(0, end).split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
          buffer = buffer.slice(end + 2);
          // The first frame is the starting point alone (`id:` without data), and comments keep the line alive.
          if (data) yield JSON.parse(data) as Trace;
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  /** The current token, fetched or renewed when it is missing or about to expire. */
  async token(): Promise<AccessToken> {
    if (this.#token && Date.now() < this.#token.renewAt) return this.#token.value;
    this.#pendingToken ??= this.#fetchToken().finally(() => { this.#pendingToken = undefined; });
    return this.#pendingToken;
  }

  /**
   * Any call with the token: the path from the server's root (an opencase extension under `/opencase/v1/`, say).
   * Returns the envelope's `result` (undefined for calls that answer `{resCode, resMsg}` alone).
   */
  /**
   * Any call by its path. A write (any method but GET) carries an Idempotency-Key, the same on each of its attempts; it
   * is sent again after a 429 (nothing was done), and after a 503, a timeout or a lost connection only to a server that
   * keeps keys (opencase says so on every reply): a server that does not, a real AICC tenant say, might do it twice.
   */
  async request<Result>(method: Method, path: string, body?: unknown): Promise<Result> {
    return this.#call<Result>(method, path, body, method === 'GET' ? 'read' : 'write');
  }

  /** A call that changes nothing, whatever its method (AICC's lists are POSTs): sent again whatever stopped it. */
  #read<Result>(method: Method, path: string, body?: unknown): Promise<Result> {
    return this.#call<Result>(method, path, body, 'read');
  }

  async #call<Result>(method: Method, path: string, body: unknown, kind: 'read' | 'write'): Promise<Result> {
    let token = await this.token();
    let renewed = false;
    const key = kind === 'write' ? newIdempotencyKey() : undefined;
    for (;;) {
      const { response, json } = await this.#send(path, {
        method,
        headers: {
          'access-token': token.accessToken, ...(body !== undefined && { 'content-type': 'application/json' }), ...(key !== undefined && { [IDEMPOTENCY_KEY_HEADER]: key }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }, kind === 'read' || this.#serverKeepsKeys ? 'whenever' : 'rateLimited');
      // A token revoked or expired early (a server restarted with a new key, an operator's revoke): one new token.
      if (response.status === 401 && !renewed) {
        this.#token = undefined;
        token = await this.token();
        renewed = true;
        continue;
      }
      if (isEnvelope(json) && json.resCode === '0' && response.ok) return json.result as Result;
      throw failureOf(response, json);
    }
  }

  /**
   * opencase: signs a person in; the client then acts as that user, renewing its access token with the refresh cookie
   * the server set (in a browser, kept and sent by the browser itself). Only for a client made with `{session: true}`.
   */
  async signIn(request: SignInRequest): Promise<SignedIn> {
    if (!('session' in this.#credentials)) throw new OpencaseError('', 'signIn is for a client made with {session: true}; this one uses client credentials', 0);
    const requestedAt = Date.now();
    const { response, json } = await this.#send(SESSION_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    if (!(isEnvelope(json) && json.resCode === '0' && response.ok)) throw failureOf(response, json);
    const signedIn = json.result as SignedIn;
    this.#signedIn = signedIn;
    this.#keep(signedIn.accessToken, signedIn.expiresIn, requestedAt);
    return signedIn;
  }

  /** Session mode: the user and role of the session, once a sign-in or a refresh (`token()`) has answered. */
  get signedIn(): Pick<SignedIn, 'userId' | 'role'> | undefined {
    return this.#signedIn && { userId: this.#signedIn.userId, role: this.#signedIn.role };
  }

  /** opencase: signs out: the session's tokens stop at once, and its refresh cookie is cleared. */
  async signOut(): Promise<void> {
    const token = this.#token?.value.accessToken;
    this.#token = undefined;
    this.#signedIn = undefined;
    const { response, json } = await this.#send(SESSION_PATH, { method: 'DELETE', headers: token ? { 'access-token': token } : {} });
    // Signed out already (no token and no cookie): nothing to end.
    if (response.status === 401) return;
    if (!(isEnvelope(json) && json.resCode === '0' && response.ok)) throw failureOf(response, json);
  }

  async #fetchToken(): Promise<AccessToken> {
    const requestedAt = Date.now();
    if ('session' in this.#credentials) {
      // The refresh cookie is the whole request: a browser sends it along with this same-origin call.
      const { response, json } = await this.#send(`${SESSION_PATH}/refresh`, { method: 'POST' });
      if (!(isEnvelope(json) && json.resCode === '0' && response.ok)) throw failureOf(response, json);
      const renewed = json.result as SignedIn;
      this.#signedIn = renewed;
      return this.#keep(renewed.accessToken, renewed.expiresIn, requestedAt);
    }
    const { clientId, clientSecret } = this.#credentials;
    const { response, json } = await this.#send(TOKEN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    if (!response.ok || !isTokenReply(json)) throw failureOf(response, json);
    return this.#keep(json.access_token, json.expires_in, requestedAt);
  }

  /** Keeps a token, to be renewed a margin before it expires. */
  #keep(accessToken: string, expiresInSeconds: number, requestedAt: number): AccessToken {
    const lifetimeMs = expiresInSeconds * 1000;
    const value = { accessToken, expiresAt: new Date(requestedAt + lifetimeMs) };
    const marginMs = Math.min(this.#refreshMarginMs ?? Math.min(60_000, lifetimeMs / 2), lifetimeMs);
    this.#token = { value, renewAt: requestedAt + lifetimeMs - marginMs };
    return value;
  }

  /**
   * One call, sent again while the wait it is told (Retry-After) or its backoff is short enough: after a 429 always
   * (nothing was done); `whenever` also after a 503, a timeout or a lost connection (a read, a token, or a write to a
   * server that keeps Idempotency-Keys).
   */
  async #send(path: string, init: RequestInit, retried: 'whenever' | 'rateLimited' = 'whenever'): Promise<{ response: Response; json: unknown }> {
    const url = `${this.#baseUrl}${path}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
      } catch (error) {
        if (retried === 'whenever' && attempt < this.#maxRetries) {
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(null, attempt)));
          continue;
        }
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout…) is in its cause.
        const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
        const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
        throw new OpencaseError('', `no reply from ${url}: ${String(reason)}`, 0, { cause: error });
      }
      if (response.headers.get(KEEPS_KEYS_HEADER) !== null) this.#serverKeepsKeys = true;
      const retriedStatus = response.status === 429 || (response.status === 503 && retried === 'whenever');
      if (retriedStatus && attempt < this.#maxRetries) {
        const delayMs = retryDelayMs(response.headers.get('retry-after'), attempt);
        if (delayMs <= this.#maxRetryDelayMs) {
          await response.body?.cancel();
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          continue;
        }
      }
      const text = await response.text();
      return { response, json: parseJson(text) ?? text };
    }
  }

  async *#traceFeed(after: string): AsyncGenerator<Trace> {
    for (let cursor = after; ;) {
      const page = await this.traces.list({ after: cursor, limit: PAGE_SIZE });
      yield* page.traces;
      if (page.traces.length === 0) return;
      cursor = page.nextCursor;
    }
  }

  async *#pages<Page, Item>(fetchPage: (start: number) => Promise<Page>, itemsOf: (page: Page) => [Item[], number]): AsyncGenerator<Item> {
    for (let start = 0; ;) {
      const [items, count] = itemsOf(await fetchPage(start));
      yield* items;
      start += items.length;
      if (items.length === 0 || start >= count) return;
    }
  }
}

function queryString(request: Record<string, string | number | undefined>): string {
  const entries = Object.entries(request).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([name, value]) => [name, String(value)])).toString()}`;
}

/**
 * A new Idempotency-Key: a random UUID; in a page served over plain HTTP (where crypto.randomUUID is missing) one made
 * of 16 random bytes.
 */
function newIdempotencyKey(): string {
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  return [...globalThis.crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Retry-After in seconds or as an HTTP date; without one, 0.25 s doubling. */
function retryDelayMs(retryAfter: string | null, attempt: number): number {
  if (retryAfter !== null) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return 250 * 2 ** attempt;
}

/**
 * AICC wraps some results in a one-element array where its tables show the object (case/list, case detail) and shows
 * no example for others (task/list): a server may answer either, and the caller gets the object.
 */
function onlyItem<T extends object>(result: T | T[]): T {
  if (!Array.isArray(result)) return result;
  const [item] = result;
  if (result.length !== 1 || item === undefined) throw new OpencaseError('', `expected a one-element array as the result, got ${result.length} elements`, 200);
  return item;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isEnvelope(json: unknown): json is { resCode: string; resMsg?: string; result?: unknown } {
  return typeof json === 'object' && json !== null && typeof (json as { resCode?: unknown }).resCode === 'string';
}

function isTokenReply(json: unknown): json is TokenReply {
  const reply = json as Partial<TokenReply> | null;
  return typeof reply === 'object' && reply !== null && typeof reply.access_token === 'string' && typeof reply.expires_in === 'number';
}

/** The server's own words when it sent an envelope or an OAuth2 error; else what came, cut short. */
function failureOf(response: Response, json: unknown): OpencaseError {
  if (isEnvelope(json)) return new OpencaseError(json.resCode, json.resMsg ?? '', response.status);
  const oauth = json as { error?: unknown; error_description?: unknown } | null;
  if (typeof oauth === 'object' && oauth !== null && typeof oauth.error === 'string') {
    return new OpencaseError(oauth.error, typeof oauth.error_description === 'string' ? oauth.error_description : '', response.status);
  }
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return new OpencaseError('', `unexpected reply: ${text.slice(0, 200) || '(empty)'}`, response.status);
}
