import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { REFERENCE_PATH } from '../../src/openapi/reference.js';
import { TASK_PATH, useTestApp } from '../helpers.js';

/** Debian's chromium package; `.ci/run` installs it, and sets OPENCASE_REQUIRE_BROWSER so that CI never skips. */
const CHROMIUM = process.env.OPENCASE_CHROMIUM ?? '/usr/bin/chromium';
const browserMissing = existsSync(CHROMIUM) ? false
  : process.env.OPENCASE_REQUIRE_BROWSER ? false
    : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set OPENCASE_CHROMIUM)`;

describe('GET /docs', () => {
  const t = useTestApp();

  it('serves the page from the package, with a policy that allows this origin only', async () => {
    const page = await t.app.inject({ method: 'GET', url: REFERENCE_PATH });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<title>opencase API reference<\/title>/);
    assert.doesNotMatch(page.body, /https?:\/\//, 'no script or style from another host');
    const policy = String(page.headers['content-security-policy']);
    assert.match(policy, /script-src 'self'/);
    assert.match(policy, /connect-src 'self'/);
    assert.match(policy, /frame-ancestors 'none'/);

    const script = await t.app.inject({ method: 'GET', url: `${REFERENCE_PATH}/static/swagger-ui-bundle.js` });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
  });

  it('serves nothing outside its own folder', async () => {
    for (const url of [`${REFERENCE_PATH}/static/../../package.json`, `${REFERENCE_PATH}/static/%2e%2e/%2e%2e/package.json`, `${REFERENCE_PATH}/static/..%2f..%2fpackage.json`]) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.notEqual(response.statusCode, 200, url);
      assert.ok(response.statusCode < 500, `${url}: ${response.statusCode}`);
      assert.doesNotMatch(response.body, /"name": "opencase"/, url);
    }
  });

  describe('in a real headless Chromium', { skip: browserMissing }, () => {
    let browser: Browser;
    let baseUrl: string;
    before(async () => {
      baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        // This machine's network is closed: Chromium's own background calls would only fail, slowly.
        args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    });
    after(() => browser?.close());

    it('renders the task-detail operation with AICC\'s example, calls it with a token, and breaks no rule of the page\'s policy', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
      page.on('pageerror', (error) => problems.push(error.message));
      const outside: string[] = [];
      page.on('request', (request) => { if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) outside.push(request.url()); });

      await page.goto(`${baseUrl}${REFERENCE_PATH}`);
      const operation = page.locator('.opblock-get', { has: page.locator(`[data-path="${TASK_PATH}/{id}"]`) });
      await operation.locator('.opblock-summary').first().click();
      // The example response is AICC's own, from the founding document.
      await operation.getByText('"taskNo"').first().waitFor();
      assert.match(await operation.textContent() ?? '', /查询任务详情/);

      // Authorize with a token, then "Try it out" on the demo id the document suggests: the page calls the API itself.
      await page.locator('.auth-wrapper button.authorize').click();
      await page.locator('.modal-ux input').first().fill(t.token);
      await page.locator('.modal-ux .auth-btn-wrapper button.authorize').click();
      await page.locator('.modal-ux button.btn-done').click();
      await operation.locator('button.try-out__btn').click();
      await operation.locator('button.execute').click();
      const live = operation.locator('.live-responses-table');
      await live.locator('.response-col_status', { hasText: '200' }).first().waitFor();
      assert.match(await live.textContent() ?? '', /"title": "test002"/);

      assert.deepEqual(outside, [], 'every request stays on this origin');
      assert.deepEqual(problems, [], 'no script error, no policy violation');
      await page.close();
    });

    it('renders the same page at an address with a query string (swagger-ui resolved its document against the query)', async () => {
      for (const address of [`${REFERENCE_PATH}?anything`, `${REFERENCE_PATH}/?utm_source=mail&x=1/`, `${REFERENCE_PATH}?a=1#/default`]) {
        const page = await browser.newPage();
        await page.goto(`${baseUrl}${address}`);
        await page.locator(`[data-path="${TASK_PATH}/{id}"]`).first().waitFor({ timeout: 20_000 });
        await page.close();
      }
    });
  });
});
