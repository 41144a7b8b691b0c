import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { errorCodes } from '../../src/wire/errors.js';

describe('the error table', () => {
  it('codes are unique strings, never "0", led by their HTTP status', () => {
    const codes = Object.values(errorCodes).map((e) => e.resCode);
    assert.equal(new Set(codes).size, codes.length);
    for (const { resCode, httpStatus } of Object.values(errorCodes)) {
      assert.notEqual(resCode, '0');
      assert.ok(resCode.startsWith(String(httpStatus)), resCode);
    }
  });

  it('the README documents every code with its HTTP status', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const { resCode, httpStatus } of Object.values(errorCodes)) {
      assert.match(readme, new RegExp(`\\|\\s*\`${resCode}\`\\s*\\|\\s*${httpStatus}\\s*\\|`), `README lacks ${resCode}`);
    }
  });
});
