// What `npm run build` is made from, hashed: `npm start` builds only when this differs from the last build's.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the hash of the inputs of the build in dist/ is kept (written by scripts/build-stamp.mjs, the build's last step). */
export const STAMP = join(ROOT, 'dist', '.build-inputs');
const INPUTS = ['src', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const SKIPPED = new Set(['node_modules', 'dist']);

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).filter((name) => !SKIPPED.has(name)).sort().flatMap((name) => files(join(path, name)));
}

/** A content hash (not times: a checkout or a copy changes those) of every input's path and bytes. */
export function hashInputs() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => files(join(ROOT, input)))) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}
