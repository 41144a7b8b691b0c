import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { openSqlite } from '../../src/db/sqlite.js';
import { tempDir } from '../helpers.js';

describe('the SQLite reader\'s data_version', () => {
  const { dir, remove } = tempDir();
  const file = join(dir, 'reader.db');
  let opened: ReturnType<typeof openSqlite>;
  // Another connection to the file: what another process's commits look like to this one.
  let other: SQLite.Database;
  const commitElsewhere = () => other.prepare('insert into t (x) values (1)').run();

  before(() => {
    opened = openSqlite(file);
    opened.database.exec('create table t (x integer)');
    other = new SQLite(file);
  });
  after(() => {
    other.close();
    opened.reader.close();
    opened.database.close();
    remove();
  });

  it('moves with every commit of another connection, read by read', () => {
    const { reader } = opened;
    const before = reader.dataVersion();
    commitElsewhere();
    const moved = reader.dataVersion();
    assert.notEqual(moved, before);
    commitElsewhere();
    assert.notEqual(reader.dataVersion(), moved);
  });

  it('is read once for the waiters of one turn, after the last of them asked: a commit before that read is in it', async () => {
    const { reader } = opened;
    const before = reader.dataVersion();
    const seen: number[] = [];
    const first = reader.shareDataVersion().then(() => {
      seen.push(reader.dataVersion());
      // Committed after both waiters asked: neither needs it, and the second is handed the read they share.
      commitElsewhere();
    });
    const second = reader.shareDataVersion().then(() => {
      seen.push(reader.dataVersion());
    });
    // After both asked and before the read: what both must see.
    commitElsewhere();
    await Promise.all([first, second]);
    const [firstSeen, secondSeen] = seen;
    assert.notEqual(firstSeen, before, 'the commit made before the shared read is in it');
    assert.equal(secondSeen, firstSeen, 'one read for both waiters');
    assert.notEqual(reader.dataVersion(), firstSeen, 'the commit made during the first waiter\'s step is seen by the next read');
  });

  it('hands the shared read out only in the waiters\' own step; a later step reads again', async () => {
    const { reader } = opened;
    await reader.shareDataVersion();
    const shared = reader.dataVersion();
    commitElsewhere();
    assert.equal(reader.dataVersion(), shared, 'still the waiter\'s step');
    await null;
    assert.notEqual(reader.dataVersion(), shared);
    // A waiter that asks after a commit returned always sees it.
    const latest = reader.dataVersion();
    commitElsewhere();
    await reader.shareDataVersion();
    assert.notEqual(reader.dataVersion(), latest);
  });

  it('wakes its waiters even when the read fails, each to meet the failure itself', async () => {
    const broken = openSqlite(join(dir, 'broken.db'));
    broken.database.exec('create table t (x integer)');
    broken.reader.dataVersion();
    broken.reader.close();
    broken.database.close();
    await broken.reader.shareDataVersion();
    assert.throws(() => broken.reader.dataVersion(), /not open/);
  });
});
