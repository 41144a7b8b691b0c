import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config.js';
import { parseWireSetting, type WireProfile } from './profile.js';

/**
 * The wire-profile switches a recorded profile settles (`opencase conformance --record FILE`, its `wire` object), each
 * checked as `--wire key=value` is. Read as plain JSON: the server takes the file's format, not the kit's code.
 */
export async function wireFromProfile(path: string): Promise<Partial<WireProfile>> {
  let profile: unknown;
  try {
    profile = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--wire-from ${path}: ${error instanceof SyntaxError ? 'not JSON' : (error as Error).message}`);
  }
  const wire = (profile as { wire?: unknown } | null)?.wire;
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) {
    throw new ConfigError(`--wire-from ${path}: no "wire" object; record one with opencase conformance --record ${path}`);
  }
  const entries = Object.entries(wire);
  if (entries.length === 0) throw new ConfigError(`--wire-from ${path}: the recorded run settled no switch (it saw no case detail, task list or success)`);
  let settings: Partial<WireProfile> = {};
  for (const [key, value] of entries) {
    try {
      settings = { ...settings, ...parseWireSetting(`${key}=${String(value)}`) };
    } catch (error) {
      throw new ConfigError(`--wire-from ${path}: ${(error as Error).message.replace(/^--wire /, '')}`);
    }
  }
  return settings;
}
