import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ID_PATTERN, idPrefixes, newId } from '../../src/wire/ids.js';
import { formatSerialNumber } from '../../src/wire/numbers.js';

describe('wire ids and numbers', () => {
  it('new ids are 20 characters, prefixed by object type, and do not repeat', () => {
    const seen = new Set<string>();
    for (const kind of Object.keys(idPrefixes) as Array<keyof typeof idPrefixes>) {
      for (let i = 0; i < 1000; i++) {
        const id = newId(kind);
        assert.match(id, new RegExp(ID_PATTERN));
        assert.ok(id.startsWith(idPrefixes[kind]));
        seen.add(id);
      }
    }
    assert.equal(seen.size, Object.keys(idPrefixes).length * 1000);
  });

  it('the seed example ids fit the id pattern', () => {
    for (const id of ['ccqG0000014iXvGKONQO', 'c6m80000014iXKHqDw3c', 'ciIy0000013y7cC8T2rA', '10gg00000148QvgpaLAm', 'cvmC0000014ddysLTCZk']) {
      assert.match(id, new RegExp(ID_PATTERN));
    }
  });

  it('task and case numbers are 30 zero-padded digits', () => {
    assert.equal(formatSerialNumber(1002), '000000000000000000000000001002');
    assert.equal(formatSerialNumber(6).length, 30);
  });
});
