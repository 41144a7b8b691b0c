/** One run of the kit: the token, then the reads and their bounds, with --write the lifecycles, then the envelope. */
import { Context, type RunOptions } from './context.js';
import { boundChecks } from './checks/bounds.js';
import { envelopeChecks } from './checks/envelope.js';
import { lifecycleChecks } from './checks/lifecycle.js';
import { accessChecks, readChecks } from './checks/reads.js';
import { tokenChecks } from './checks/token.js';
import { recordProfile, type Profile } from './profile.js';
import type { RunReport } from './report.js';

export interface RunOutcome {
  report: RunReport;
  profile: Profile;
  /** Strings no output may hold: the secret, the tokens, customers' data seen in replies. */
  secrets: Set<string>;
}

export async function runConformance(options: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const ctx = new Context(options);
  ctx.token = await tokenChecks(ctx);
  if (ctx.token) {
    await accessChecks(ctx);
    const found = await readChecks(ctx);
    await boundChecks(ctx, found);
    if (options.write) await lifecycleChecks(ctx, found);
    await envelopeChecks(ctx);
  } else {
    ctx.record('the AICC Case 2.0 calls', 'skip', 'no token: every call needs one (see the token checks)');
  }
  const origin = new URL(options.url).origin;
  return {
    report: {
      server: origin,
      mode: options.write ? 'write' : 'read-only',
      startedAt,
      durationMs: Math.round(performance.now() - started),
      results: ctx.results,
      waits: { count: ctx.http.waits, ms: Math.round(ctx.http.waitedMs) },
    },
    profile: recordProfile(ctx),
    secrets: ctx.secrets,
  };
}
