import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListResponseCache } from '../../src/lists/response-cache.js';

const b = (text: string) => Buffer.from(text);

describe('ListResponseCache', () => {
  it('keys a request by tenant, time zone and content, whatever the order of its keys', () => {
    const key = ListResponseCache.keyOf('t1', 'Asia/Shanghai', { start: 0, limit: 20, status: 'Pending' });
    assert.equal(ListResponseCache.keyOf('t1', 'Asia/Shanghai', { status: 'Pending', limit: 20, start: 0 }), key);
    assert.notEqual(ListResponseCache.keyOf('t2', 'Asia/Shanghai', { start: 0, limit: 20, status: 'Pending' }), key);
    assert.notEqual(ListResponseCache.keyOf('t1', 'UTC', { start: 0, limit: 20, status: 'Pending' }), key);
    assert.notEqual(ListResponseCache.keyOf('t1', 'Asia/Shanghai', { start: 20, limit: 20, status: 'Pending' }), key);
  });

  it('serves a response only at the change sequence it was built at', () => {
    const cache = new ListResponseCache();
    cache.set('k', 3, b('body'));
    assert.deepEqual(cache.get('k', 3), b('body'));
    assert.equal(cache.get('k', 4), undefined);
    assert.equal(cache.get('other', 3), undefined);
  });

  it('keeps within its budget, dropping the least recently used first', () => {
    const cache = new ListResponseCache(10);
    cache.set('a', 1, b('aaaa'));
    cache.set('b', 1, b('bbbb'));
    assert.deepEqual(cache.get('a', 1), b('aaaa'));
    cache.set('c', 1, b('cccc'));
    assert.equal(cache.get('b', 1), undefined);
    assert.deepEqual(cache.get('a', 1), b('aaaa'));
    assert.deepEqual(cache.get('c', 1), b('cccc'));
    cache.set('huge', 1, b('x'.repeat(11)));
    assert.equal(cache.get('huge', 1), undefined);
    cache.set('a', 2, b('aaaaaa'));
    assert.deepEqual(cache.get('a', 2), b('aaaaaa'));
    assert.deepEqual(cache.get('c', 1), b('cccc'));
  });
});
