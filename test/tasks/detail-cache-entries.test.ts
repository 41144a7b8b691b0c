import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskDetailCache } from '../../src/tasks/detail-cache.js';

const b = (text: string) => Buffer.from(text);

describe('TaskDetailCache', () => {
  it('serves an entry without a stamp only at the change sequence it was last known current at', () => {
    const cache = new TaskDetailCache();
    cache.set('t/task', 7, 'stamp-a', b('body-a'));
    assert.deepEqual(cache.current('t/task', 7)?.body, b('body-a'));
    assert.equal(cache.current('t/task', 8)?.body, undefined);
    assert.equal(cache.current('t/other', 7)?.body, undefined);
  });

  it('serves an entry whose stamp is unchanged, and then knows it current at the newer sequence', () => {
    const cache = new TaskDetailCache();
    cache.set('t/task', 7, 'stamp-a', b('body-a'));
    assert.equal(cache.unchanged('t/task', 'stamp-b', 9)?.body, undefined);
    assert.equal(cache.current('t/task', 9)?.body, undefined);
    assert.deepEqual(cache.unchanged('t/task', 'stamp-a', 9)?.body, b('body-a'));
    assert.deepEqual(cache.current('t/task', 9)?.body, b('body-a'));
    // A slow request that read an older sequence does not move the entry back.
    assert.deepEqual(cache.unchanged('t/task', 'stamp-a', 8)?.body, b('body-a'));
    assert.deepEqual(cache.current('t/task', 9)?.body, b('body-a'));
  });

  it('drops the oldest entry past its limit', () => {
    const cache = new TaskDetailCache(2);
    cache.set('a', 1, 's', b('A'));
    cache.set('b', 1, 's', b('B'));
    cache.set('c', 1, 's', b('C'));
    assert.equal(cache.current('a', 1)?.body, undefined);
    assert.deepEqual(cache.current('b', 1)?.body, b('B'));
    assert.deepEqual(cache.current('c', 1)?.body, b('C'));
  });

  it('keeps within its byte budget, dropping the oldest not read since first, and never keeps a body larger than the budget', () => {
    const cache = new TaskDetailCache(100, 10);
    cache.set('a', 1, 's', b('aaaa'));
    cache.set('b', 1, 's', b('bbbb'));
    // a, the oldest, was read: b goes to make room for c.
    assert.deepEqual(cache.current('a', 1)?.body, b('aaaa'));
    cache.set('c', 1, 's', b('cccc'));
    assert.equal(cache.current('b', 1)?.body, undefined);
    assert.deepEqual(cache.unchanged('a', 's', 1)?.body, b('aaaa'));
    cache.set('huge', 1, 's', b('x'.repeat(11)));
    assert.equal(cache.current('huge', 1)?.body, undefined);
    assert.deepEqual(cache.current('c', 1)?.body, b('cccc'));
    // Replacing an entry gives its bytes back first: 4 + 6 fit the 10.
    cache.set('a', 2, 's', b('aaaaaa'));
    assert.deepEqual(cache.current('a', 2)?.body, b('aaaaaa'));
    assert.deepEqual(cache.current('c', 1)?.body, b('cccc'));
    // Both were read since: passed over in order, each loses its flag and moves to the end (c, then a), and c, the
    // oldest unread then, goes.
    cache.set('d', 1, 's', b('d'));
    assert.deepEqual([cache.current('a', 2)?.body, cache.current('c', 1)?.body, cache.current('d', 1)?.body], [b('aaaaaa'), undefined, b('d')]);
  });
});
