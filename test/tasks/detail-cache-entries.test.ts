import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskDetailCache } from '../../src/tasks/detail-cache.js';

describe('TaskDetailCache', () => {
  it('serves an entry without a stamp only at the change sequence it was last known current at', () => {
    const cache = new TaskDetailCache();
    cache.set('t/task', 7, 'stamp-a', 'body-a');
    assert.equal(cache.current('t/task', 7), 'body-a');
    assert.equal(cache.current('t/task', 8), undefined);
    assert.equal(cache.current('t/other', 7), undefined);
  });

  it('serves an entry whose stamp is unchanged, and then knows it current at the newer sequence', () => {
    const cache = new TaskDetailCache();
    cache.set('t/task', 7, 'stamp-a', 'body-a');
    assert.equal(cache.unchanged('t/task', 'stamp-b', 9), undefined);
    assert.equal(cache.current('t/task', 9), undefined);
    assert.equal(cache.unchanged('t/task', 'stamp-a', 9), 'body-a');
    assert.equal(cache.current('t/task', 9), 'body-a');
    // A slow request that read an older sequence does not move the entry back.
    assert.equal(cache.unchanged('t/task', 'stamp-a', 8), 'body-a');
    assert.equal(cache.current('t/task', 9), 'body-a');
  });

  it('drops the oldest entry past its limit', () => {
    const cache = new TaskDetailCache(2);
    cache.set('a', 1, 's', 'A');
    cache.set('b', 1, 's', 'B');
    cache.set('c', 1, 's', 'C');
    assert.equal(cache.current('a', 1), undefined);
    assert.equal(cache.current('b', 1), 'B');
    assert.equal(cache.current('c', 1), 'C');
  });
});
