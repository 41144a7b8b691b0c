import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { generate } from '../../src/generate/generator.js';
import { createUsersRepository } from '../../src/users/repository.js';
import { setPassword, updateUser } from '../../src/users/service.js';
import { ON_POSTGRES, startTestApp, tempDir, type TestApp } from '../helpers.js';

const CHROMIUM = process.env.OPENCASE_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Issue 16: on a tenant with a million cases, the queue's first rows within a second of navigation. */
const CASES = Number(process.env.OPENCASE_FIRST_ROWS_CASES ?? 1_000_000);
const FIRST_ROWS_BUDGET_MS = 1_000;
const skip = ON_POSTGRES
  // Filling PostgreSQL with a million cases takes minutes of CI; its list speed is the benchmark's (npm run bench).
  ? 'measured on SQLite, the database `npm start` runs on'
  : !existsSync(CHROMIUM) && !process.env.OPENCASE_REQUIRE_BROWSER ? `no Chromium at ${CHROMIUM}` : false;

const build = tempDir();
before(async () => {
  if (skip) return;
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--outDir', build.dir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT });
});
after(() => build.remove());

describe(`the console's queue on a tenant of ${CASES.toLocaleString('en-US')} cases`, { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  before(async () => {
    t = await startTestApp({ demo: false, env: { OPENCASE_CONSOLE_DIR: build.dir } });
    const now = Date.now();
    const { tenantId } = await generate(t.database, { tasks: 1_000, cases: CASES, seed: 7, now });
    // The generated agents own a fifth of the cases each: one of them signs in, its "mine" view is 200,000 open cases.
    const agent = (await createUsersRepository(t.database).listUsers(tenantId, 0, 10)).find((user) => user.name === 'agent 0001');
    assert.ok(agent);
    // A supervisor, who has the "All" view as well.
    await updateUser(t.database, tenantId, agent.id, { login: 'busy.agent', role: 'supervisor' }, now);
    await setPassword(t.database, tenantId, agent.id, 'a million cases', now);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
  }, { timeout: 600_000 });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it(`shows the first rows of "mine", "all" and every case by urgency within ${FIRST_ROWS_BUDGET_MS} ms of navigation (median of five, signed in, page cached)`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/console/`);
      await page.getByRole('textbox', { name: 'Login', exact: true }).fill('busy.agent');
      await page.getByRole('textbox', { name: 'Password' }).fill('a million cases');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('queue-row').first().waitFor();
      // The views as an agent opens them (its open cases, newest first), and every case by urgency.
      const views = { mine: '?view=mine', all: '?view=all', 'all, any state, most urgent first': '?view=all&state=any&sort=priority.desc' };
      const timings: Record<string, number[]> = Object.fromEntries(Object.keys(views).map((name) => [name, []]));
      for (let round = 0; round < 5; round++) {
        for (const [name, search] of Object.entries(views)) {
          const started = Date.now();
          await page.goto(`${baseUrl}/console/${search}`);
          await page.getByTestId('queue-row').first().waitFor();
          timings[name]?.push(Date.now() - started);
        }
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Infinity;
      const medians = Object.fromEntries(Object.entries(timings).map(([name, values]) => [name, median(values)]));
      process.stdout.write(`# first rows on ${CASES} cases, ms from navigation: ${JSON.stringify(timings)}\n`);
      assert.ok(Object.values(medians).every((ms) => ms <= FIRST_ROWS_BUDGET_MS), JSON.stringify(medians));
      // The last view holds every case, counted exactly.
      await page.getByTestId('queue-count').getByText(/^\d+ cases$/).waitFor();
      const count = await page.getByTestId('queue-count').textContent();
      assert.equal(count, `${CASES} cases`);
    } finally {
      await context.close();
    }
  });
});
