import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskDetailCache } from '../../src/tasks/detail-cache.js';

const b = (text: string) => Buffer.from(text);

describe('TaskDetailCache', () => {
  it('serves an entry without a stamp only at the change sequence it was last known current at', () => {
    const cache = new TaskDetailCache();
    cache.set('t/task', 7, 'stamp-a', b('body-a'));
    assert.deepEqual(cache.current('t/task', 7), b('body-a'));
    assert.equal(cache.current('t/task', 8), undefined);
    assert.equal(cache.current('t/other', 7), undefined);
  });

  it('serves an entry whose stamp is unchanged, and then knows it current at the newer sequence', () => {
    const cache = new TaskDetailCache();
    cache.set('t/task', 7, 'stamp-a', b('body-a'));
    assert.equal(cache.unchanged('t/task', 'stamp-b', 9), undefined);
    assert.equal(cache.current('t/task', 9), undefined);
    assert.deepEqual(cache.unchanged('t/task', 'stamp-a', 9), b('body-a'));
    assert.deepEqual(cache.current('t/task', 9), b('body-a'));
    // A slow request that read an older sequence does not move the entry back.
    assert.deepEqual(cache.unchanged('t/task', 'stamp-a', 8), b('body-a'));
    assert.deepEqual(cache.current('t/task', 9), b('body-a'));
  });

  it('drops the oldest entry past its limit', () => {
    const cache = new TaskDetailCache(2);
    cache.set('a', 1, 's', b('A'));
    cache.set('b', 1, 's', b('B'));
    cache.set('c', 1, 's', b('C'));
    assert.equal(cache.current('a', 1), undefined);
    assert.deepEqual(cache.current('b', 1), b('B'));
    assert.deepEqual(cache.current('c', 1), b('C'));
  });
});
