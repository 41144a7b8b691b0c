import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFields, formatTable } from '../../src/client/table.js';

describe('the CLI\'s tables', () => {
  it('align by terminal columns, where a Chinese character takes two', () => {
    assert.equal(formatTable(['NAME', 'STATUS'], [['查询任务', 'Pending'], ['abc', null]]), [
      'NAME      STATUS',
      '查询任务  Pending',
      'abc       -',
    ].join('\n'));
  });

  it('keep each row on one line and cut long cells', () => {
    const table = formatTable(['TITLE', 'ID'], [[`${'长'.repeat(40)}\nsecond line`, 'x']]);
    const [, row] = table.split('\n');
    assert.match(row ?? '', /^长+…\s+x$/);
    assert.ok(!table.includes('second line'));
  });

  it('show a record as name and whole value', () => {
    assert.equal(formatFields([['title', 'a\nb'], ['due', null], ['description', 'x'.repeat(60)]]),
      `title        a b\ndue          -\ndescription  ${'x'.repeat(60)}`);
  });
});
