import { AICC, startTestApp, type TestApp } from '../helpers.js';
import type { CheckResult } from '../../src/conformance/context.js';
import { DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_USER } from '../../src/demo/records.js';

/** The demo tenant, plus a case and a task more: with one of each, count cannot be told from a page's length. */
export async function startKitTarget(): Promise<{ testApp: TestApp; url: string }> {
  const testApp = await startTestApp();
  const url = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  const token = ((await (await fetch(`${url}/baas/auth/v1.0/oauth2/token`, {
    method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret }),
  })).json()) as { access_token: string }).access_token;
  const post = async (path: string, body: unknown) => {
    const reply = await fetch(`${url}${AICC}/${path}`, { method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return ((await reply.json()) as { result: Record<string, string> }).result;
  };
  const { caseId } = await post('case', { caseInfo: { title: 'A second case', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: DEMO_USER.id, contactId: DEMO_CONTACT.id, creatorId: DEMO_USER.id } });
  await post('task', { taskInfo: { title: 'A second task', type: 'Case', relateId: caseId, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
  return { testApp, url };
}

export const failures = (results: CheckResult[]) => results.filter((result) => result.outcome !== 'pass').map((result) => `${result.outcome}: ${result.name}: ${result.message}`);

