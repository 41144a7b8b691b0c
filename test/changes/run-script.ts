import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Starts one of this folder's scripts as a process of its own (another opencase process, for the database): its
 * output so far, and its end with exit code and output, or `timedOut` (the process killed) after `timeoutMs`.
 */
export function startScript(script: string, args: string[], timeoutMs = 60_000): { stdout: () => string; finished: Promise<ScriptResult> } {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=opencase-source', '--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const finished = new Promise<ScriptResult>((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
  return { stdout: () => stdout, finished };
}

export function runScript(script: string, args: string[], timeoutMs = 60_000): Promise<ScriptResult> {
  return startScript(script, args, timeoutMs).finished;
}
