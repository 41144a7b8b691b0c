import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const KIT = fileURLToPath(new URL('../../src/conformance/', import.meta.url));
/** Packages the kit may use: none of them is opencase. */
const PACKAGES = new Set(['commander']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports or re-exports, statically or with import(). */
export function importsOf(source: string): string[] {
  const found = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g), ...source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g), ...source.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)];
  return found.map((match) => match[1]!);
}

/** What is wrong with one import of a kit file, or undefined. */
export function outsideTheKit(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return undefined;
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    return relative(KIT, target).startsWith('..') ? `${relative(KIT, file)} imports ${specifier}, outside src/conformance/` : undefined;
  }
  return PACKAGES.has(specifier) ? undefined : `${relative(KIT, file)} imports the package ${specifier}`;
}

describe('the conformance kit is independent of opencase', () => {
  it('no file of src/conformance/ imports anything of the server (or any package but commander)', () => {
    const kitFiles = files(KIT);
    assert.ok(kitFiles.length >= 10, `${kitFiles.length} files`);
    const offences = kitFiles.flatMap((file) => importsOf(readFileSync(file, 'utf8')).flatMap((specifier) => outsideTheKit(file, specifier) ?? []));
    assert.deepEqual(offences, []);
  });

  it('the rule catches an import of the server, of typebox, and a dynamic one', () => {
    const file = join(KIT, 'checks', 'reads.ts');
    const source = "import { x } from '../../cases/schemas.js';\nimport { Type } from 'typebox';\nconst y = await import('../../wire/envelope.js');\nimport { z } from '../shape.js';";
    assert.deepEqual(Object.fromEntries(importsOf(source).map((specifier) => [specifier, outsideTheKit(file, specifier) !== undefined])), {
      '../../cases/schemas.js': true, typebox: true, '../../wire/envelope.js': true, '../shape.js': false,
    });
  });
});
