import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import * as initial from '../../src/db/migrations/0001_initial.js';
import * as caseStatistics from '../../src/db/migrations/0002_case_statistics.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { caseReport } from '../../src/statistics/service.js';
import { parseWireDate } from '../../src/wire/dates.js';
import { postAicc, testDatabase, useTestApp } from '../helpers.js';

const at = (wallClock: string, timeZone: string = DEMO_TENANT.timeZone) => parseWireDate(wallClock, timeZone) ?? 0;

describe('migration 0002_case_statistics', () => {
  const t = useTestApp();

  async function report(): Promise<unknown> {
    const response = await postAicc(t.app, t.token, 'statistics/case/report', { startTime: '2024-05-01', endTime: '2024-05-10', start: 0, limit: 100 });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ result: unknown }>().result;
  }

  it('backfills the statistics of the cases a database already holds', async () => {
    const ids: string[] = [];
    for (const [day, due] of [['2024-05-02', '2024-05-04 00:00:00'], ['2024-05-03', null], ['2024-05-03', '2024-05-03 12:00:00']] as const) {
      t.now.value = at(`${day} 09:00:00`);
      const created = await postAicc(t.app, t.token, 'case', {
        caseInfo: { title: 'old', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: DEMO_USER.id, contactId: DEMO_CONTACT.id, dueDate: due },
      });
      ids.push(created.json<{ result: { caseId: string } }>().result.caseId);
    }
    t.now.value = at('2024-05-05 10:00:00');
    await postAicc(t.app, t.token, 'status/update', { id: ids[0], status: 'Completed', creatorId: DEMO_USER.id });
    await postAicc(t.app, t.token, 'case/cancel', { id: ids[1], creatorId: DEMO_USER.id, remark: 'r' });
    const kept = await report();

    // Without the statistics the report says otherwise; the migration, run again from nothing, brings back the same.
    const { db } = t.database;
    await db.deleteFrom('case_statistics').execute();
    assert.notDeepEqual(await report(), kept);
    await sql`drop table case_statistics`.execute(db);
    await sql`drop index cases_closed_idx`.execute(db);
    await sql`drop index cases_open_idx`.execute(db);
    await db.transaction().execute((trx) => caseStatistics.up(trx as unknown as Kysely<unknown>));
    assert.deepEqual(await report(), kept);
  });

  it('runs on a database of the release before it (migrated to 0001 only), counting the cases found there', async () => {
    const { location, remove } = await testDatabase();
    const database = openDatabase(location);
    try {
      const { db } = database;
      const without = new Migrator({ db, provider: { getMigrations: async () => ({ '0001_initial': initial }) } });
      assert.equal((await without.migrateToLatest()).error, undefined);
      const zone = 'Europe/Paris';
      await db.insertInto('tenants').values({ id: 'tnnt0000000000000old', name: 'old', time_zone: zone, created_at: 0 }).execute();
      const base = { tenant_id: 'tnnt0000000000000old', type_id: 'cvmC00000000000000ty', description: 'd', status: 'Pending', state: 'Pending', last_modified_at: 0 };
      await db.insertInto('cases').values([
        // Created at 23:30 in Paris (21:30 UTC), due the next morning: new on the 2nd, overdue at the end of the 3rd.
        { ...base, id: 'c6m80000000000000001', case_no: 1, created_at: at('2024-05-02 23:30:00', zone), due_at: at('2024-05-03 09:00:00', zone) },
        { ...base, id: 'c6m80000000000000002', case_no: 2, created_at: at('2024-05-03 08:00:00', zone), status: 'Completed', state: 'Completed', closed_at: at('2024-05-03 20:00:00', zone) },
      ]).execute();

      await migrateToLatest(db);
      const tenant = { tenantId: 'tnnt0000000000000old', timeZone: zone, caller: { kind: 'app' as const, appId: 'app', userId: 'user', role: null } };
      const result = await caseReport(database, tenant, { startTime: '2024-05-02', endTime: '2024-05-03', start: 0, limit: 10 }, at('2024-05-04 00:00:00', zone));
      assert.deepEqual(result.caseStatisticsList.map(({ date, newCases, finishedCases, averageDuration, unfinishedCases, overCases }) =>
        ({ date, newCases, finishedCases, averageDuration, unfinishedCases, overCases })), [
        { date: '2024-05-03', newCases: 1, finishedCases: 1, averageDuration: 0.5, unfinishedCases: 1, overCases: 1 },
        { date: '2024-05-02', newCases: 1, finishedCases: 0, averageDuration: 0, unfinishedCases: 1, overCases: 0 },
      ]);
    } finally {
      await database.close();
      await remove();
    }
  });
});
