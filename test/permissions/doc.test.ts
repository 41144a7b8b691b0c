import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { permissionTableMarkdown } from '../../src/permissions/markdown.js';

describe('docs/security.md', () => {
  it('shows the permission table the services check (print it anew with npx tsx scripts/permission-table.ts)', () => {
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    assert.ok(doc.includes(permissionTableMarkdown()), 'docs/security.md does not hold the current permission table');
  });
});
