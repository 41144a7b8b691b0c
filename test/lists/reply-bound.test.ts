import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitRows, nextStart } from '../../src/lists/reply-bound.js';
import { ListResponseCache } from '../../src/lists/response-cache.js';

const rowOf = (bytes: number) => ({ text: 'x'.repeat(bytes - '{"text":""}'.length) });

describe('fitRows: a page within the reply limit', () => {
  it('keeps a page whole, unmeasured, when even its largest possible size fits', () => {
    const rows = [rowOf(100), rowOf(100)];
    const fitted = fitRows(rows, 64 * 1024, nextStart(0));
    assert.equal(fitted.rows, rows);
    assert.equal(fitted.partial, undefined);
  });

  it('keeps a page whole when its rows, measured, fit, although their largest possible size would not', () => {
    // 6 KB of ASCII could be 36 KB written as \u0001 escapes: over the limit by that count, under it as it is.
    const rows = [rowOf(3000), rowOf(3000)];
    const fitted = fitRows(rows, 8 * 1024, nextStart(0));
    assert.equal(fitted.rows.length, 2);
    assert.equal(fitted.partial, undefined);
  });

  it('stops before the row that would pass the limit, and says where to go on', () => {
    const rows = Array.from({ length: 10 }, () => rowOf(1000));
    const fitted = fitRows(rows, 4 * 1024, nextStart(20));
    // 1 KiB of the limit is kept for the envelope: three rows of 1,001 bytes (a comma each) fit in the other 3 KiB.
    assert.equal(fitted.rows.length, 3);
    assert.deepEqual(fitted.rows, rows.slice(0, 3));
    assert.equal(fitted.partial, '3 of the 10 rows of this page: the next would take the reply past 4096 bytes (OPENCASE_REPLY_LIMIT); count is still the whole total; continue at start=23');
  });

  it('keeps one row larger than the limit alone, so that paging moves on', () => {
    const fitted = fitRows([rowOf(10_000), rowOf(20)], 4 * 1024, nextStart(0));
    assert.equal(fitted.rows.length, 1);
    assert.match(fitted.partial ?? '', /^1 of the 2 rows .* continue at start=1$/);
    assert.equal(fitRows([rowOf(10_000)], 4 * 1024, nextStart(0)).partial, undefined);
  });
});

describe('ListResponseCache with partial pages', () => {
  it('keeps the partial note with the body', () => {
    const cache = new ListResponseCache();
    cache.set('k', 1, Buffer.from('body'), 'note');
    assert.deepEqual(cache.reply('k', 1)?.body, Buffer.from('body'));
    assert.equal(cache.reply('k', 1)?.partial, 'note');
    cache.set('whole', 1, Buffer.from('body'));
    assert.equal(cache.reply('whole', 1)?.partial, undefined);
    assert.equal(cache.reply('k', 2), undefined);
  });
});
