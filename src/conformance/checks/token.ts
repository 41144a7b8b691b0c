/** cec_07_0260: the token call in the three forms real clients send it (§8.6 of the kit's source notes), and its refusals. */
import { conforms, fail, type Context } from '../context.js';
import { TOKEN_REPLY } from '../aicc.js';
import type { Exchange } from '../http.js';

const PAGE = 'cec_07_0260 token';

function granted(exchange: Exchange): string {
  if (exchange.status !== 200) fail(`answered HTTP ${exchange.status}; a token is granted with 200`);
  const body = exchange.body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) fail('the reply is not a JSON object');
  if (Object.hasOwn(body, 'resCode')) fail('the reply is wrapped in the {resCode, resMsg, result} envelope; the token call is not');
  conforms(body, TOKEN_REPLY, 'reply');
  if ((body.expires_in as number) <= 0) fail('expires_in is not a positive number of seconds');
  if (body.access_token === '') fail('access_token is empty');
  return body.access_token as string;
}

function denied(exchange: Exchange): void {
  if (exchange.status >= 500) fail(`answered HTTP ${exchange.status}; wrong credentials are a client's mistake, a 4xx`);
  if (exchange.status < 400) fail(`answered HTTP ${exchange.status}; it must be refused with a 4xx`);
  const body = exchange.body as Record<string, unknown> | undefined;
  if (typeof body === 'object' && body !== null && typeof body.access_token === 'string') fail('the refusal carries an access_token');
}

/** Returns the token the run goes on with, or undefined when none could be had (every later check is then skipped). */
export async function tokenChecks(ctx: Context): Promise<string | undefined> {
  const { clientId, clientSecret } = ctx.options;
  const credentials = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
  const token = await ctx.check(`${PAGE}: a form body (grant_type, client_id, client_secret) is granted a token`, async () =>
    granted(await ctx.tokenCall('form body', { method: 'POST', form: credentials })));
  await ctx.check(`${PAGE}: HTTP Basic credentials with grant_type alone are granted a token`, async () => {
    granted(await ctx.tokenCall('HTTP Basic', {
      method: 'POST', form: { grant_type: 'client_credentials' },
      headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}` },
    }));
  });
  await ctx.check(`${PAGE}: the three parameters in the query string of a POST without a body are granted a token`, async () => {
    granted(await ctx.tokenCall('query string', { method: 'POST', query: credentials }));
  });
  // An unknown client rather than the real one with a wrong secret: a production tenant may lock out a client_id.
  await ctx.check(`${PAGE}: an unknown client_id is refused`, async () => {
    denied(await ctx.tokenCall('an unknown client_id', { method: 'POST', form: { grant_type: 'client_credentials', client_id: `conformance-unknown-${ctx.runId}`, client_secret: 'not-a-secret' } }));
  });
  await ctx.check(`${PAGE}: a grant_type other than client_credentials is refused`, async () => {
    denied(await ctx.tokenCall('grant_type password', { method: 'POST', form: { ...credentials, grant_type: 'password' } }));
  });
  await ctx.check(`${PAGE}: a missing client_secret is refused`, async () => {
    denied(await ctx.tokenCall('no client_secret', { method: 'POST', form: { grant_type: 'client_credentials', client_id: clientId } }));
  });
  return token;
}
