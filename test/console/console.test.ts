import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { WebhookDeliverer } from '../../src/webhooks/deliverer.js';
import { AICC, tempDir, useTestApp } from '../helpers.js';
import { startReceiver, verified } from '../webhooks/receiver.js';

/** Debian's chromium package; `.ci/run` installs it, and sets OPENCASE_REQUIRE_BROWSER so that CI never skips. */
const CHROMIUM = process.env.OPENCASE_CHROMIUM ?? '/usr/bin/chromium';
const browserMissing = existsSync(CHROMIUM) ? false
  : process.env.OPENCASE_REQUIRE_BROWSER ? false
    : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set OPENCASE_CHROMIUM)`;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Issue 16's budget for the first load: gzipped JavaScript. */
const FIRST_LOAD_JS_BUDGET = 300 * 1024;
/** Where the screenshots go, for a person to look at (scratch/ is not committed). */
const SHOTS = join(ROOT, 'scratch', 'console-screenshots');

/**
 * The console built from web/ into a folder of this test's own (another test may rebuild dist/ meanwhile), served by
 * a real server on a real database, driven in Debian's Chromium.
 */
const build = tempDir();
before(async () => {
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--outDir', build.dir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT });
});
after(() => build.remove());

describe('the agent console at /console', { skip: browserMissing }, () => {
  // Private addresses allowed: the webhook screen's test delivers to a receiver on loopback.
  const t = useTestApp({ env: { OPENCASE_CONSOLE_DIR: build.dir, OPENCASE_WEBHOOK_ALLOW_PRIVATE: '1' } });
  let browser: Browser;
  let baseUrl: string;
  const password = 'console passphrase';

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    await createUser(t.database, DEMO_TENANT.id, { name: 'Su Pervisor', login: 'sup', role: 'supervisor', password }, Date.now());
    await createUser(t.database, DEMO_TENANT.id, { name: 'Ann Agent', login: 'agent.console', role: 'agent', password }, Date.now());
    await createUser(t.database, DEMO_TENANT.id, { name: 'Ada Admin', login: 'admin.console', role: 'admin', password }, Date.now());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(() => browser?.close());

  /** A call of the demo tenant's API app (every permission), for a test's setup and checks: its `result`, once it succeeded. */
  async function api<Result>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown, token = t.token): Promise<Result> {
    const reply = await fetch(`${baseUrl}${path}`, {
      method, headers: { 'access-token': token, ...(body !== undefined && { 'content-type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = await reply.json() as { resCode: string; resMsg: string; result: Result };
    assert.equal(json.resCode, '0', `${method} ${path}: ${json.resMsg}`);
    return json.result;
  }
  /** A case of the demo type (at its first status, tttttt), auto-assigned unless an owner is given: its id. */
  const newCase = async (caseInfo: Record<string, unknown>, token = t.token) => (await api<{ caseId: string }>('POST', `${AICC}/case`, {
    caseInfo: { description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: !('ownerId' in caseInfo), contactId: DEMO_CONTACT.id, ...caseInfo },
  }, token)).caseId;
  const caseInfoOf = async (caseId: string) => (await api<Array<{ caseInfo: Record<string, unknown> }>>('GET', `${AICC}/case/${caseId}`))[0]?.caseInfo ?? {};

  /** A page in a fresh context (its own cookies), failing the test on any script error or policy violation. */
  async function open(locale: string = 'en-US'): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      // A page opened without a session asks the refresh route first; its 401 is the expected answer.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) problems.push(`a request elsewhere: ${request.url()}`);
    });
    return { context, page, problems };
  }

  /**
   * The controls of the page that have no accessible name (what a screen reader would call them): a label, aria-label or
   * aria-labelledby, or the text of a button or a link. Each is named by its tag and its outer HTML's start.
   */
  async function unnamedControls(page: Page): Promise<string[]> {
    // Sent as source text: the test's own transpiler would wrap named functions in a helper the page does not have.
    return page.evaluate(`(() => {
      const controls = [...document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, [role=combobox], [role=checkbox], [role=radio]')];
      const hasText = (node) => Boolean(node && node.textContent && node.textContent.trim());
      const named = (element) => Boolean(element.getAttribute('aria-label')?.trim())
        || (element.getAttribute('aria-labelledby') ?? '').split(/\\s+/).some((id) => hasText(document.getElementById(id)))
        || [...(element.labels ?? [])].some(hasText)
        || ((element.tagName === 'BUTTON' || element.tagName === 'A') && hasText(element))
        || Boolean(element.getAttribute('title')?.trim());
      return controls.filter((element) => element.getClientRects().length > 0 && !named(element)).map((element) => element.outerHTML.slice(0, 120));
    })()`);
  }

  /**
   * Runs `work` on a page of a fresh context and closes it; the page must make no script error, break no rule of its
   * policy and call nothing elsewhere, but for the `expected` problems, and those `ignore` matches.
   */
  async function inBrowser(
    work: (opened: { page: Page; context: BrowserContext }) => Promise<void>,
    options: { locale?: string; expected?: string[]; ignore?: RegExp } = {},
  ): Promise<void> {
    const { context, page, problems } = await open(options.locale);
    try {
      await work({ page, context });
      const { ignore } = options;
      assert.deepEqual(ignore ? problems.filter((problem) => !ignore.test(problem)) : problems, options.expected ?? []);
    } finally {
      await context.close();
    }
  }

  /** Signs in and waits until the console says who is signed in. */
  async function signedIn(page: Page, login = 'sup', secret = password): Promise<void> {
    await signIn(page, login, secret);
    await page.getByTestId('signed-in-as').waitFor();
  }

  async function signIn(page: Page, login = 'sup', secret = password): Promise<void> {
    await page.goto(`${baseUrl}/console/`);
    await page.getByRole('textbox', { name: 'Login', exact: true }).fill(login);
    await page.getByRole('textbox', { name: 'Password' }).fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs in (a wrong password is said so), keeps the session over a reload, and signs out', async () => {
    await inBrowser(async ({ page, context }) => {
    await signIn(page, 'sup', 'not the password');
    await page.getByRole('alert').getByText('The login or the password is wrong.').waitFor();
    await page.screenshot({ path: join(SHOTS, 'sign-in.png') });
    await signIn(page);
    await page.getByTestId('signed-in-as').getByText('Signed in as Su Pervisor (supervisor)').waitFor();
    // The access token lives in memory only: a reload renews it with the httpOnly refresh cookie.
    const cookies = await context.cookies();
    assert.deepEqual(cookies.map(({ name, httpOnly, sameSite, path }) => ({ name, httpOnly, sameSite, path })), [
      { name: 'opencase_refresh', httpOnly: true, sameSite: 'Strict', path: '/opencase/v1/session' },
    ]);
    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    });
  });

  it('the queue pages on the server with an exact count, searches titles, and opens a case from the keyboard (j, k, Enter)', async () => {
    await inBrowser(async ({ page }) => {
    await signIn(page);
    await page.getByText('All', { exact: true }).click();
    const count = page.getByTestId('queue-count');
    await count.getByText(/^\d+ cases$/).waitFor();
    const listed = Number((await count.textContent())?.match(/\d+/)?.[0]);
    assert.ok(listed >= 1);
    await page.screenshot({ path: join(SHOTS, 'queue.png') });
    // Filters combine, and the count is the server's for them all.
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('Low');
    await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Demo' });
    await page.getByRole('combobox', { name: 'Owner' }).selectOption({ label: DEMO_USER.name });
    const filtered = await api<{ count: number }>('POST', '/opencase/v1/cases/search', { start: 0, limit: 1, view: 'all', state: 'open', priority: 'Low', type: DEMO_CASE_TYPE.id, ownerId: DEMO_USER.id });
    await count.getByText(`${filtered.count} cases`).waitFor();
    assert.match(page.url(), /priority=Low/);
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('');
    await page.getByRole('combobox', { name: 'Type' }).selectOption('');
    await page.getByRole('combobox', { name: 'Owner' }).selectOption('');
    // `/` goes to the search box; a search is sent to the server (case/list's title filter).
    await page.keyboard.press('/');
    await page.keyboard.type(DEMO_CASE.title);
    await page.keyboard.press('Enter');
    await count.getByText('1 cases').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.getByTestId('case-status').waitFor();
    assert.match(page.url(), new RegExp(`/console/cases/${DEMO_CASE.id}$`));
    });
  });

  it('the queue\'s views "My queues" and "Unassigned", its state filter and its sorts, each kept in the URL', async () => {
    await inBrowser(async ({ page }) => {
    const { users } = await api<{ users: Array<{ id: string; login: string | null }> }>('GET', '/opencase/v1/users?limit=100');
    const supId = users.find((user) => user.login === 'sup')?.id ?? '';
    const { queueId } = await api<{ queueId: string }>('POST', '/opencase/v1/queues', { name: 'Second line' });
    await api('PUT', `/opencase/v1/queues/${queueId}/members/${supId}`, {});
    const queued = async (title: string, priority: string, dueDate: string) => {
      const caseId = await newCase({ title, priority, dueDate, ownerId: DEMO_USER.id });
      await api('POST', `${AICC}/case/transfer`, { id: caseId, ownerId: queueId, ownerType: 'queue', creatorId: DEMO_USER.id, remark: 'to the second line' });
      // The app's clock moves on: "newest first" is then a known order.
      t.now.value += 1_000;
      return caseId;
    };
    const later = await queued('Queued later', 'Low', '2031-05-01 09:00:00');
    await queued('Queued sooner', 'Critical', '2031-01-01 09:00:00');
    await api('POST', `${AICC}/status/update`, { id: later, status: 'Completed', creatorId: DEMO_USER.id });

    await signedIn(page);
    await page.getByText('My queues', { exact: true }).click();
    const count = page.getByTestId('queue-count');
    // Open cases by default: the completed one shows under "Any state".
    await count.getByText('1 cases').waitFor();
    assert.equal(await page.getByTestId('queue-row').first().locator('a').textContent(), 'Queued sooner');
    await page.getByRole('combobox', { name: 'State' }).selectOption('any');
    await count.getByText('2 cases').waitFor();
    assert.match(page.url(), /view=myQueues/);
    assert.match(page.url(), /state=any/);
    const titles = () => page.getByTestId('queue-row').locator('a').allTextContents();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=queue-row]').length === 2);
    assert.deepEqual(await titles(), ['Queued sooner', 'Queued later']);
    await page.getByRole('combobox', { name: 'Sort' }).selectOption('created.asc');
    await page.waitForURL(/sort=created\.asc/);
    await page.getByTestId('queue-row').first().getByText('Queued later').waitFor();
    await page.getByRole('combobox', { name: 'Sort' }).selectOption('due.asc');
    await page.getByTestId('queue-row').first().getByText('Queued sooner').waitFor();
    await page.getByRole('combobox', { name: 'State' }).selectOption('Completed');
    await count.getByText('1 cases').waitFor();
    await page.getByTestId('queue-row').first().getByText('Queued later').waitFor();
    await page.screenshot({ path: join(SHOTS, 'queue-views.png') });
    // "Unassigned": owned by a queue, no person; the same filters hold.
    await page.getByText('Unassigned', { exact: true }).click();
    await page.getByRole('combobox', { name: 'State' }).selectOption('open');
    await page.getByRole('textbox', { name: 'Search titles' }).fill('Queued');
    await page.keyboard.press('Enter');
    await count.getByText('1 cases').waitFor();
    assert.deepEqual(await titles(), ['Queued sooner']);
    // A reload keeps the view, its filters and its sort.
    await page.reload();
    await count.getByText('1 cases').waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Sort' }).inputValue(), 'due.asc');
    });
  });

  it('the case page offers only its flow\'s next statuses, moves the case, takes an internal note and closes it at the last step', async () => {
    await inBrowser(async ({ page }) => {
    await signedIn(page);
    // A case of its own, at the first status of the demo flow (tttttt → Completed).
    const created = await page.evaluate(async () => {
      const token = await (await fetch('/opencase/v1/session/refresh', { method: 'POST' })).json() as { result: { accessToken: string } };
      return token.result.accessToken;
    });
    const caseId = await newCase({ title: 'Printer on fire', description: 'Third floor' }, created);
    await page.goto(`${baseUrl}/console/cases/${caseId}`);
    await page.getByTestId('case-status').getByText('tttttt').waitFor();
    await page.getByRole('button', { name: 'Move to Completed' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Move to / }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Close the case' }).count(), 0, 'closing waits for the last status');

    await page.getByRole('textbox', { name: 'Note title' }).fill('Called the customer');
    await page.getByRole('textbox', { name: 'Internal note' }).fill('Fire brigade on the way');
    await page.getByRole('button', { name: 'Add the note' }).click();
    await page.getByTestId('case-timeline').getByText('Called the customer').waitFor();

    await page.getByRole('button', { name: 'Move to Completed' }).click();
    await page.getByTestId('case-status').getByText('Completed').waitFor();
    await page.screenshot({ path: join(SHOTS, 'case.png'), fullPage: true });
    await page.getByRole('button', { name: 'Close the case' }).click();
    await page.getByTestId('case-timeline').getByText(/^CloseCase/).waitFor();
    });
  });

  it('the case page transfers to a queue, suspends and resumes, cancels and restores, follows; a, s, e and ? from the keyboard', async () => {
    await inBrowser(async ({ page }) => {
    await api('POST', '/opencase/v1/queues', { name: 'Printers' });
    const caseId = await newCase({ title: 'Paper jam' });
    await signedIn(page);
    await page.goto(`${baseUrl}/console/cases/${caseId}`);
    await page.getByTestId('case-status').waitFor();

    // a: the transfer box; pick the queue, with a remark.
    await page.keyboard.press('a');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.placeholder), 'A user or a queue');
    await page.keyboard.type('Print');
    await page.getByRole('option', { name: 'Printers' }).click();
    await page.getByRole('textbox', { name: 'Remark' }).fill('For the printer team');
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await page.getByTestId('case-timeline').getByText('For the printer team').waitFor();
    // Owners by their names in the timeline, not their ids.
    await page.getByTestId('case-timeline').getByText(/^ownerId: .+ → Printers$/).waitFor();
    await page.getByRole('row', { name: /Owner/ }).getByText('Printers').waitFor();

    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByTestId('case-suspended').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('case-suspended').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.getByRole('button', { name: 'Stop following' }).waitFor();
    await page.getByRole('button', { name: 'Cancel the case' }).click();
    await page.getByTestId('case-cancelled').waitFor();
    await page.screenshot({ path: join(SHOTS, 'case-cancelled.png'), fullPage: true });
    await page.getByRole('button', { name: 'Restore the case' }).click();
    await page.getByTestId('case-cancelled').waitFor({ state: 'detached' });

    // s: the first status button; e: the note's title; ?: the list of shortcuts.
    await page.locator('body').click({ position: { x: 2, y: 200 } });
    await page.keyboard.press('s');
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^Move to /);
    await page.keyboard.press('e');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id), await page.getByRole('textbox', { name: 'Note title' }).getAttribute('id'));
    await page.locator('body').click({ position: { x: 2, y: 200 } });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Backspace');
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    });
  });

  it('tasks: added on a case page; "My open tasks" marks the overdue one; a status change moves it to "Completed by me"; one is transferred', async () => {
    await inBrowser(async ({ page }) => {
    await signedIn(page);
    await page.goto(`${baseUrl}/console/cases/${DEMO_CASE.id}`);
    await page.getByTestId('case-status').waitFor();
    // AICC counts a title in bytes of UTF-8: 43 Chinese characters are 129, said under the field before any request.
    await page.getByRole('textbox', { name: 'New task' }).fill('工'.repeat(43));
    await page.getByText('129 bytes; at most 128 (a Chinese character takes 3)').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add the task' }).isDisabled(), true);
    await page.getByRole('textbox', { name: 'New task' }).fill(`${'工'.repeat(42)}ab`);
    assert.equal(await page.getByRole('button', { name: 'Add the task' }).isDisabled(), false);
    await page.getByRole('textbox', { name: 'New task' }).fill('Call back, long ago');
    await page.getByLabel('Due on').fill('2020-01-31');
    await page.getByRole('button', { name: 'Add the task' }).click();
    await page.getByTestId('case-task').getByText('Call back, long ago').waitFor();
    await page.getByRole('textbox', { name: 'New task' }).fill('Pass it on');
    await page.getByRole('button', { name: 'Add the task' }).click();
    await page.getByTestId('case-task').getByText('Pass it on').waitFor();

    await page.getByRole('link', { name: 'Tasks' }).click();
    const row = page.getByTestId('task-row').filter({ hasText: 'Call back, long ago' });
    await row.getByTestId('overdue').waitFor();
    await page.screenshot({ path: join(SHOTS, 'tasks.png') });
    await row.getByRole('combobox', { name: 'Status of Call back, long ago' }).selectOption('Completed');
    await row.waitFor({ state: 'detached' });
    await page.getByText('Completed by me', { exact: true }).click();
    await page.getByTestId('task-row').filter({ hasText: 'Call back, long ago' }).waitFor();
    assert.equal(await page.getByTestId('task-row').filter({ hasText: 'Call back, long ago' }).getByTestId('overdue').count(), 0, 'a completed task is not overdue');

    // Transferred to another user from the owner column (task/transfer): it leaves "My open tasks".
    await page.getByText('My open tasks', { exact: true }).click();
    const passed = page.getByTestId('task-row').filter({ hasText: 'Pass it on' });
    await passed.getByRole('combobox', { name: 'Owner of Pass it on' }).selectOption({ label: 'Ann Agent' });
    await passed.waitFor({ state: 'detached' });
    const task = await t.database.db.selectFrom('tasks').innerJoin('users', (join) => join.onRef('users.tenant_id', '=', 'tasks.tenant_id').onRef('users.id', '=', 'tasks.owner_id'))
      .select('users.login').where('tasks.tenant_id', '=', DEMO_TENANT.id).where('tasks.title', '=', 'Pass it on').executeTakeFirstOrThrow();
    assert.equal(task.login, 'agent.console');
    });
  });

  it('the supervisor\'s dashboard shows today\'s figures as the statistics call has them and a bar per day of the range; an agent has no dashboard', async () => {
    await inBrowser(async ({ page }) => {
    const current = await api<Record<string, number>>('GET', `${AICC}/statistics/case/current`);
    await signIn(page);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    for (const figure of ['newCases', 'finishedCases', 'unfinishedCases', 'overCases']) {
      await page.getByTestId(`figure-${figure}`).getByText(String(current[figure]), { exact: true }).waitFor();
    }
    const chart = page.getByRole('img', { name: 'New (blue) and finished (green) cases per day' });
    await chart.waitFor();
    assert.equal(await chart.locator('g').count(), 30, 'the last 30 days, today included');
    await page.screenshot({ path: join(SHOTS, 'dashboard.png') });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signedIn(page, 'agent.console', password);
    assert.equal(await page.getByRole('link', { name: 'Dashboard' }).count(), 0);
    });
  });

  it('a new case takes its type\'s template fields; the server\'s refusal names the missing field; the case opens once made', async () => {
    await inBrowser(async ({ page }) => {
    const { templateId } = await api<{ templateId: string }>('POST', '/opencase/v1/case-templates', {
      name: 'Printers form', fields: [{ name: 'AICC__serial__CST', label: 'Serial number', type: 'text', required: true }, { name: 'AICC__model__CST', label: 'Model', type: 'select', options: ['P100', 'P200'] }],
    });
    await api('POST', '/opencase/v1/case-types', { typeName: 'Printer repair', caseStatus: 'Reported,Fixed,Completed', templateId });

    await signIn(page);
    await page.getByRole('link', { name: 'New case' }).click();
    await page.getByRole('combobox', { name: 'Case type' }).click();
    await page.getByRole('option', { name: 'Printer repair' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill('Jammed again');
    await page.getByRole('textbox', { name: 'Description' }).fill('Tray 2');
    await page.getByRole('combobox', { name: 'Contact' }).click();
    await page.getByRole('option', { name: DEMO_CONTACT.customerName }).click();
    await page.getByRole('combobox', { name: 'Model' }).selectOption('P200');
    // The browser would stop at the empty required field; the server's own rule is what is shown when it is bypassed.
    await page.locator('form').evaluate((form) => form.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Create the case' }).click();
    await page.getByRole('alert').getByText(/AICC__serial__CST/).waitFor();
    await page.screenshot({ path: join(SHOTS, 'new-case.png'), fullPage: true });
    await page.getByRole('textbox', { name: 'Serial number' }).fill('SN-42');
    await page.getByRole('button', { name: 'Create the case' }).click();
    await page.getByTestId('case-status').getByText('Reported').waitFor();
    const caseId = page.url().split('/').at(-1) ?? '';
    const stored = await caseInfoOf(caseId);
    assert.deepEqual([stored.AICC__serial__CST, stored.AICC__model__CST], ['SN-42', 'P200']);

    // In the queue, the type's template fields become filters: the model finds the case, another model none.
    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    await page.getByText('All', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Printer repair' });
    await page.getByRole('combobox', { name: 'Model' }).selectOption('P200');
    await page.getByTestId('queue-count').getByText('1 cases').waitFor();
    assert.match(page.url(), /f\.AICC__model__CST=P200/);
    await page.getByRole('combobox', { name: 'Model' }).selectOption('P100');
    await page.getByTestId('queue-count').getByText('0 cases').waitFor();
    // The one refusal asked for above, which the browser logs as a failed request.
    }, { expected: ['Failed to load resource: the server responded with a status of 400 (Bad Request)'] });
  });

  it('bulk: rows selected (a click, x) change in one request; an agent\'s change of another\'s case is refused and listed, the rest lands', async () => {
    await inBrowser(async ({ page }) => {
    const { users } = await api<{ users: Array<{ id: string; login: string | null }> }>('GET', '/opencase/v1/users?limit=100');
    const idOf = (login: string) => users.find((user) => user.login === login)?.id ?? '';
    // Both made as the agent (an API app may name the user it acts as): its "Created by me" view holds them.
    const creatorId = idOf('agent.console');
    const made = [await newCase({ title: 'Bulk mine', ownerId: idOf('agent.console'), priority: 'Low', creatorId }), await newCase({ title: 'Bulk theirs', ownerId: idOf('sup'), priority: 'Low', creatorId })];
    await signIn(page, 'agent.console', password);
    await page.getByText('Created by me', { exact: true }).click();
    assert.equal(await page.getByText('All', { exact: true }).count(), 0, 'an agent has no "All" view');
    await page.getByRole('textbox', { name: 'Search titles' }).fill('Bulk');
    await page.keyboard.press('Enter');
    await page.getByTestId('queue-count').getByText('2 cases').waitFor();
    // The first row by its checkbox; then, the cursor on the first row, j moves to the second and x selects it.
    const firstTitle = await page.getByTestId('queue-row').nth(0).locator('a').textContent();
    await page.getByRole('checkbox', { name: `Select ${firstTitle}` }).check();
    await page.getByText('1 selected').waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.getByText('2 selected').waitFor();
    await page.getByRole('combobox', { name: 'Change' }).selectOption('priority');
    await page.getByRole('combobox', { name: 'To', exact: true }).selectOption('High');
    await page.getByRole('button', { name: 'Apply to the selection' }).click();
    const outcome = page.getByTestId('bulk-outcome');
    await outcome.getByText('1 changed, 1 refused').waitFor();
    await outcome.getByText(new RegExp(`${made[1]}: case ${made[1]} is owned by user`)).waitFor();
    await page.screenshot({ path: join(SHOTS, 'queue-bulk.png') });
    const priorities = await Promise.all(made.map(async (id) => (await caseInfoOf(id)).priority));
    assert.deepEqual(priorities, ['High', 'Low']);
    });
  });

  it('webhooks, for admins: an endpoint on a real receiver, its secret shown once, a ping, the log and a change sent again, a 410\'s reason, disabled and enabled, a new secret, deleted; an agent has no Webhooks', async () => {
    let status = 200;
    const receiver = await startReceiver(() => ({ status }));
    // The server's deliverers run beside its HTTP (src/server.ts); the test app has none, so the test runs one.
    const deliverer = new WebhookDeliverer(t.database, { retryScheduleSeconds: [60], allowPrivate: true, clock: () => t.now.value });
    deliverer.start();
    try {
      await inBrowser(async ({ page, context }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
      await signedIn(page, 'admin.console');
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByTestId('webhooks-count').getByText(/^\d+ endpoints$/).waitFor();

      // The server's refusal, in its words.
      await page.getByRole('textbox', { name: 'URL' }).fill(receiver.url.replace('http://', 'http://user:pass@'));
      await page.getByRole('button', { name: 'Add the endpoint' }).click();
      await page.getByRole('alert').getByText(/url must not hold credentials/).waitFor();

      await page.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
      await page.getByRole('combobox', { name: 'Event types' }).click();
      await page.getByRole('option', { name: 'case.created' }).click();
      await page.getByRole('option', { name: 'case.status_changed' }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('textbox', { name: 'Description' }).fill('CRM sync');
      await page.getByRole('button', { name: 'Add the endpoint' }).click();

      // The secret, once, marked as such, and copied whole.
      const box = page.getByTestId('webhook-secret');
      await box.getByText('Copy it now: it will not be shown again.', { exact: false }).waitFor();
      const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
      assert.match(secret, /^whsec_[A-Za-z0-9+/=]{20,}$/);
      await box.getByRole('button', { name: 'Copy' }).click();
      await box.getByRole('button', { name: 'Copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
      await page.screenshot({ path: join(SHOTS, 'webhooks-created.png'), fullPage: true });
      await box.getByRole('button', { name: 'I have kept it' }).click();
      await box.waitFor({ state: 'detached' });

      const row = page.getByTestId('webhook-row').filter({ hasText: receiver.url });
      await row.getByText('CRM sync').waitFor();
      await row.getByText('case.status_changed').waitFor();
      await row.getByTestId('webhook-state').getByText('Active', { exact: true }).waitFor();
      const { webhooks } = await api<{ webhooks: Array<{ id: string; url: string; eventTypes: string[]; active: boolean; disabledReason: string | null }> }>('GET', '/opencase/v1/webhooks?limit=100');
      const made = webhooks.find((webhook) => webhook.url === receiver.url);
      assert.deepEqual(made?.eventTypes, ['case.created', 'case.status_changed']);
      const webhookId = made?.id ?? '';
      // Shown once: nothing the page reads afterwards holds it.
      await page.reload();
      await row.waitFor();
      assert.equal((await page.content()).includes(secret), false);

      // A ping: delivered, signed with that secret (checked by the standardwebhooks package).
      await row.getByRole('button', { name: 'Send a ping' }).click();
      await row.getByTestId('attempt-outcome').getByText('Delivered (200)').waitFor();
      const [pinged] = await receiver.until(1);
      assert.equal(verified(secret, pinged!).type, 'webhook.ping');

      // A change of the case types it asked for is delivered by the deliverer; both are in the log.
      const caseId = await newCase({ title: 'Hooked' });
      const [, created] = await receiver.until(2);
      assert.deepEqual([verified(secret, created!).type, verified(secret, created!).data.objectId], ['case.created', caseId]);
      await row.getByRole('button', { name: 'Deliveries' }).click();
      const log = page.getByRole('dialog', { name: `Deliveries to ${receiver.url}` });
      const pingRow = log.getByTestId('delivery-row').filter({ hasText: 'webhook.ping' });
      await pingRow.getByRole('cell', { name: '200', exact: true }).waitFor();
      assert.equal(await pingRow.getByRole('button').count(), 0, 'a ping is not sent again');
      const changeRow = log.getByTestId('delivery-row').filter({ hasText: 'case.created' });
      await changeRow.getByRole('cell', { name: '200', exact: true }).waitFor();
      await page.screenshot({ path: join(SHOTS, 'webhooks-deliveries.png') });
      await changeRow.getByRole('button', { name: 'Send again' }).click();
      await changeRow.getByTestId('attempt-outcome').getByText('Delivered (200)').waitFor();
      const [, first, again] = await receiver.until(3);
      assert.equal(again!.headers['webhook-id'], first!.headers['webhook-id'], 'sent again with its webhook-id');
      await changeRow.getByRole('cell', { name: '2', exact: true }).waitFor();
      await log.getByRole('button', { name: 'Close' }).click();
      await log.waitFor({ state: 'detached' });

      // The endpoint answers 410 Gone to the next change: the server disables it and says why, in full.
      status = 410;
      await api('POST', `${AICC}/status/update`, { id: caseId, status: 'Completed', creatorId: DEMO_USER.id });
      await receiver.until(4);
      let reason: string | null = null;
      for (const deadline = Date.now() + 10_000; reason === null && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        reason = (await api<{ disabledReason: string | null }>('GET', `/opencase/v1/webhooks/${webhookId}`)).disabledReason;
      }
      assert.match(reason ?? '', /410 Gone/);
      await page.reload();
      await row.getByTestId('webhook-state').getByText('Disabled', { exact: true }).waitFor();
      assert.equal(await row.getByTestId('webhook-disabled-reason').textContent(), reason);
      await page.screenshot({ path: join(SHOTS, 'webhooks-disabled.png'), fullPage: true });

      // Enabled again, it starts over at the change it stopped at.
      status = 200;
      await row.getByRole('button', { name: 'Enable' }).click();
      await row.getByTestId('webhook-state').getByText('Active', { exact: true }).waitFor();
      assert.equal(await row.getByTestId('webhook-disabled-reason').count(), 0);
      const [, , , refused, retried] = await receiver.until(5);
      assert.equal(retried!.headers['webhook-id'], refused!.headers['webhook-id']);
      // Disabled by hand: no reason; and enabled.
      await row.getByRole('button', { name: 'Disable' }).click();
      await row.getByTestId('webhook-state').getByText('Disabled', { exact: true }).waitFor();
      assert.equal(await row.getByTestId('webhook-disabled-reason').count(), 0);
      assert.equal((await api<{ active: boolean }>('GET', `/opencase/v1/webhooks/${webhookId}`)).active, false);
      await row.getByRole('button', { name: 'Enable' }).click();
      await row.getByTestId('webhook-state').getByText('Active', { exact: true }).waitFor();

      // A new secret, shown once as the first was; the next ping is signed with it.
      await row.getByRole('button', { name: 'Rotate secret' }).click();
      await box.getByText(/The previous secret still signs beside it until/).waitFor();
      const rotated = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
      assert.match(rotated, /^whsec_/);
      assert.notEqual(rotated, secret);
      await box.getByRole('button', { name: 'I have kept it' }).click();
      await row.getByRole('button', { name: 'Send a ping' }).click();
      await row.getByTestId('attempt-outcome').getByText('Delivered (200)').waitFor();
      const pings = await receiver.until(6);
      assert.equal(verified(rotated, pings[5]!).type, 'webhook.ping');

      // Deleted, once confirmed.
      await row.getByRole('button', { name: 'Delete' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete' });
      await confirm.getByText(`Delete the endpoint ${receiver.url} and its delivery log?`, { exact: false }).waitFor();
      await confirm.getByRole('button', { name: 'Keep it' }).click();
      await confirm.waitFor({ state: 'detached' });
      await row.waitFor();
      await row.getByRole('button', { name: 'Delete' }).click();
      await confirm.getByRole('button', { name: 'Delete the endpoint' }).click();
      await row.waitFor({ state: 'detached' });
      assert.equal((await api<{ webhooks: Array<{ url: string }> }>('GET', '/opencase/v1/webhooks?limit=100')).webhooks.some((webhook) => webhook.url === receiver.url), false);

      // In Chinese, the item is "Webhook"; neither an agent nor a supervisor has it.
      await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
      await page.getByRole('link', { name: 'Webhook', exact: true }).waitFor();
      await page.getByRole('combobox', { name: '语言' }).selectOption('en');
      for (const login of ['agent.console', 'sup']) {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await signedIn(page, login);
        assert.equal(await page.getByRole('link', { name: 'Webhooks' }).count(), 0, `${login} has no Webhooks`);
      }
      // Its address typed in, the screen shows the server's refusal.
      await page.goto(`${baseUrl}/console/webhooks`);
      await page.getByRole('alert').getByText(/role supervisor may not manage webhook/).waitFor();
      // The one refusal asked for above (the URL with credentials), which the browser logs as a failed request; and the supervisor's.
      }, { expected: ['Failed to load resource: the server responded with a status of 400 (Bad Request)'], ignore: /status of 403/ });
    } finally {
      await deliverer.close();
      await receiver.close();
    }
  });

  it('every control of every screen has an accessible name', async () => {
    await inBrowser(async ({ page }) => {
    await page.goto(`${baseUrl}/console/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const unnamed: Record<string, string[]> = { signIn: await unnamedControls(page) };
    await signIn(page);
    await page.getByTestId('queue-count').waitFor();
    await page.getByText('All', { exact: true }).click();
    await page.getByTestId('queue-row').first().waitFor();
    await page.getByTestId('queue-row').first().getByRole('checkbox').check();
    await page.getByText('1 selected').waitFor();
    unnamed.queue = await unnamedControls(page);
    await page.goto(`${baseUrl}/console/cases/${DEMO_CASE.id}`);
    await page.getByTestId('case-status').waitFor();
    unnamed.case = await unnamedControls(page);
    for (const [screen, path, ready] of [['tasks', 'tasks', 'tasks-count'], ['newCase', 'new', ''], ['dashboard', 'dashboard', 'figure-newCases']] as const) {
      await page.goto(`${baseUrl}/console/${path}`);
      if (ready) await page.getByTestId(ready).waitFor();
      else await page.getByRole('button', { name: 'Create the case' }).waitFor();
      unnamed[screen] = await unnamedControls(page);
    }
    // Webhooks, an admin's: the form with a type chosen (its pill's remove button), the secret shown, a row's actions, its log, the confirmation.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signedIn(page, 'admin.console');
    await page.goto(`${baseUrl}/console/webhooks`);
    await page.getByTestId('webhooks-count').getByText(/^\d+ endpoints$/).waitFor();
    const url = 'http://127.0.0.1:9/accessible-names';
    await page.getByRole('textbox', { name: 'URL' }).fill(url);
    await page.getByRole('combobox', { name: 'Event types' }).click();
    await page.getByRole('option', { name: 'task.*' }).click();
    await page.keyboard.press('Escape');
    unnamed.webhookForm = await unnamedControls(page);
    await page.getByRole('button', { name: 'Add the endpoint' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    const row = page.getByTestId('webhook-row').filter({ hasText: url });
    await row.waitFor();
    unnamed.webhooks = await unnamedControls(page);
    await row.getByRole('button', { name: 'Deliveries' }).click();
    await page.getByTestId('deliveries-count').waitFor();
    unnamed.webhookDeliveries = await unnamedControls(page);
    await page.keyboard.press('Escape');
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete the endpoint' }).waitFor();
    unnamed.webhookDelete = await unnamedControls(page);
    await page.getByRole('button', { name: 'Delete the endpoint' }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(Object.fromEntries(Object.entries(unnamed).filter(([, list]) => list.length > 0)), {});
    });
  });

  it('an access token that ended while a note was being written is renewed on submit, and the note lands as written', async () => {
    await inBrowser(async ({ page }) => {
    await signedIn(page);
    await page.goto(`${baseUrl}/console/cases/${DEMO_CASE.id}`);
    await page.getByTestId('case-status').waitFor();
    await page.getByRole('textbox', { name: 'Note title' }).fill('Written slowly');
    await page.getByRole('textbox', { name: 'Internal note' }).fill('over a long call');
    // Twenty minutes on the server's clock: the 15-minute access token is over, the session (12 hours) is not.
    t.now.value += 20 * 60_000;
    await page.getByRole('button', { name: 'Add the note' }).click();
    await page.getByTestId('case-timeline').getByText('Written slowly').waitFor();
    // The one refused call, renewed and sent again, is the browser's logged 401.
    }, { ignore: /status of 401/ });
  });

  it('a long history is shown a hundred changes at a time, the later ones on request, none left out unsaid', async () => {
    await inBrowser(async ({ page }) => {
    const caseId = await newCase({ title: 'Long story' });
    for (let note = 1; note <= 100; note++) {
      await api('POST', `${AICC}/case/process`, { caseId, creatorId: DEMO_USER.id, processInfo: { type: 'Iternal', title: `note ${note}`, description: 'd' } });
    }
    await signedIn(page);
    await page.goto(`${baseUrl}/console/cases/${caseId}`);
    const timeline = page.getByTestId('case-timeline');
    await timeline.getByText('note 99', { exact: true }).waitFor();
    assert.equal(await timeline.getByText('note 100', { exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Show the later changes' }).click();
    await timeline.getByText('note 100', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Show the later changes' }).count(), 0);
    });
  });

  it('shows another agent\'s change live, without a reload: in an open queue (another browser) and an open case page (the API)', async () => {
    const watcher = await open();
    const other = await open();
    try {
      await signIn(watcher.page);
      await watcher.page.getByText('All', { exact: true }).click();
      const count = watcher.page.getByTestId('queue-count');
      await count.getByText(/^\d+ cases$/).waitFor();
      const before = Number((await count.textContent())?.match(/\d+/)?.[0]);

      // Another person, in another browser, makes a case through the API with its own session.
      await signIn(other.page);
      await other.page.getByTestId('signed-in-as').waitFor();
      const caseId = await other.page.evaluate(async ({ typeId, contactId }) => {
        const session = await (await fetch('/opencase/v1/session/refresh', { method: 'POST' })).json() as { result: { accessToken: string } };
        const reply = await fetch('/service/AICC__Case/1.0.0/openapi/case', {
          method: 'POST', headers: { 'access-token': session.result.accessToken, 'content-type': 'application/json' },
          body: JSON.stringify({ caseInfo: { title: 'Seen live', description: 'd', type: typeId, isAtuoAssigned: true, contactId } }),
        });
        return (await reply.json() as { result: { caseId: string } }).result.caseId;
      }, { typeId: DEMO_CASE_TYPE.id, contactId: DEMO_CONTACT.id });
      const madeAt = Date.now();
      await count.getByText(`${before + 1} cases`).waitFor({ timeout: 10_000 });
      const queueLatency = Date.now() - madeAt;

      // The watcher opens that case; an API app moves it meanwhile.
      await watcher.page.goto(`${baseUrl}/console/cases/${caseId}`);
      await watcher.page.getByTestId('case-status').getByText('tttttt').waitFor();
      await api('POST', `${AICC}/status/update`, { id: caseId, status: 'Completed', creatorId: DEMO_USER.id });
      const movedAt = Date.now();
      await watcher.page.getByTestId('case-status').getByText('Completed').waitFor({ timeout: 10_000 });
      await watcher.page.getByTestId('case-timeline').getByText('status: tttttt → Completed').waitFor({ timeout: 10_000 });
      const caseLatency = Date.now() - movedAt;
      // Issue 16 asks for 2 s; the assertion leaves a loaded CI machine room, the figures are printed for the note.
      process.stdout.write(`# live update latency: queue ${queueLatency} ms, case page ${caseLatency} ms\n`);
      assert.deepEqual([...watcher.problems, ...other.problems], []);
    } finally {
      await watcher.context.close();
      await other.context.close();
    }
  });

  it('speaks 简体中文 to a Chinese browser and English after a switch, which it remembers', async () => {
    await inBrowser(async ({ page }) => {
    await page.goto(`${baseUrl}/console/`);
    await page.getByRole('heading', { name: '登录 opencase' }).waitFor();
    await page.getByRole('textbox', { name: '登录名', exact: true }).fill('sup');
    await page.getByRole('textbox', { name: '密码' }).fill(password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('signed-in-as').getByText('已登录：Su Pervisor（班长）').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.screenshot({ path: join(SHOTS, 'queue-zh.png') });
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    }, { locale: 'zh-CN' });
  });

  it(`loads at most ${FIRST_LOAD_JS_BUDGET / 1024} KB of gzipped JavaScript, all of it from this server`, async () => {
    await inBrowser(async ({ page }) => {
    const scripts: string[] = [];
    page.on('response', (response) => { if (response.request().resourceType() === 'script') scripts.push(new URL(response.url()).pathname); });
    await page.goto(`${baseUrl}/console/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const built = readdirSync(join(build.dir, 'assets'));
    const sizes = scripts.map((path) => {
      const file = path.replace('/console/assets/', '');
      assert.ok(built.includes(file), `${path} is a built file`);
      return gzipSync(readFileSync(join(build.dir, 'assets', file))).length;
    });
    const total = sizes.reduce((sum, size) => sum + size, 0);
    assert.ok(scripts.length > 0 && total <= FIRST_LOAD_JS_BUDGET, `${scripts.length} scripts, ${total} bytes gzipped`);
    });
  });
});
