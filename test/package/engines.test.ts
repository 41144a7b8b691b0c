import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import semver from 'semver';

/** What the lockfile installs: each package's declared engines. */
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

describe('npm install on Node 20', () => {
  it('installs no package whose engines exclude Node 20 (npm would warn EBADENGINE for each)', () => {
    const excluded = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
        // The Node this runs on: 20 here and in CI (package.json engines: >=20).
        return range !== undefined && !semver.satisfies(process.versions.node, range) ? [`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${range}`] : [];
      });
    assert.deepEqual(excluded, []);
  });
});
