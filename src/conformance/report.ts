/**
 * A run's results as text (the terminal), JUnit XML (CI systems), JSON or Markdown. Every format goes through
 * `redact`: the kit's messages never quote values, and this is the second line of defence.
 */
import type { CheckResult } from './context.js';

export interface RunReport {
  server: string;
  mode: 'read-only' | 'write';
  startedAt: string;
  durationMs: number;
  results: CheckResult[];
  /** How many 429s were waited out, and for how long. */
  waits: { count: number; ms: number };
}

export function summaryOf(report: RunReport): { passed: number; failed: number; skipped: number } {
  const count = (outcome: CheckResult['outcome']) => report.results.filter((result) => result.outcome === outcome).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Replaces every secret, token and collected personal value, and anything shaped like an email address. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length >= 3).sort((x, y) => y.length - x.length)) out = out.split(secret).join('[redacted]');
  return out.replace(EMAIL, '[email]');
}

export function formatLine(result: CheckResult): string {
  const mark = result.outcome === 'pass' ? '✓' : result.outcome === 'fail' ? '✗' : '-';
  const detail = result.message ? (result.outcome === 'pass' ? ` (${result.message})` : `\n    ${result.outcome === 'skip' ? 'skipped: ' : ''}${result.message}`) : '';
  return `${mark} ${result.name}${detail}`;
}

export function formatSummary(report: RunReport): string {
  const { passed, failed, skipped } = summaryOf(report);
  const waits = report.waits.count > 0 ? `; waited out ${report.waits.count} 429s (${(report.waits.ms / 1000).toFixed(1)} s)` : '';
  return `${passed} passed, ${failed} failed, ${skipped} skipped in ${(report.durationMs / 1000).toFixed(1)} s against ${report.server} (${report.mode})${waits}`;
}

const xmlEscape = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  // Characters XML 1.0 cannot carry at all.
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** The page a check is named after ("cec_07_0280"), or its family ("envelope", "write"). */
function classOf(name: string): string {
  return name.match(/^(cec_\d+_\d+)/)?.[1] ?? name.split(':')[0]!.trim();
}

export function formatJunit(report: RunReport): string {
  const { failed, skipped } = summaryOf(report);
  const cases = report.results.map((result) => {
    const open = `    <testcase classname="${xmlEscape(classOf(result.name))}" name="${xmlEscape(result.name)}" time="${(result.ms / 1000).toFixed(3)}"`;
    if (result.outcome === 'pass') return `${open}/>`;
    const inner = result.outcome === 'fail'
      ? `<failure message="${xmlEscape(result.message)}">${xmlEscape(result.message)}</failure>`
      : `<skipped message="${xmlEscape(result.message)}"/>`;
    return `${open}>\n      ${inner}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="AICC Case 2.0 conformance" tests="${report.results.length}" failures="${failed}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xmlEscape(`AICC Case 2.0 conformance of ${report.server} (${report.mode})`)}" tests="${report.results.length}" failures="${failed}" errors="0" skipped="${skipped}" timestamp="${report.startedAt}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function formatJson(report: RunReport): string {
  return `${JSON.stringify({ ...report, summary: summaryOf(report) }, null, 2)}\n`;
}

export function formatMarkdown(report: RunReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const icon = { pass: '✅ pass', fail: '❌ fail', skip: '⏭ skip' } as const;
  return [
    `# AICC Case 2.0 conformance of ${report.server}`,
    '',
    `${formatSummary(report)}, ${report.startedAt}.`,
    '',
    '| Check | Result | Detail |',
    '|---|---|---|',
    ...report.results.map((result) => `| ${cell(result.name)} | ${icon[result.outcome]} | ${cell(result.message)} |`),
    '',
  ].join('\n');
}

/** By the report file's extension: .xml (JUnit), .json or .md; undefined for any other. */
export function formatFor(path: string): ((report: RunReport) => string) | undefined {
  if (path.endsWith('.xml')) return formatJunit;
  if (path.endsWith('.json')) return formatJson;
  if (path.endsWith('.md')) return formatMarkdown;
  return undefined;
}
