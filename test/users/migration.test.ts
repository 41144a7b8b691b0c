import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { migrationProvider } from '../../src/db/migrations/index.js';
import { testDatabase } from '../helpers.js';

describe('migration 0006_people', () => {
  it('runs on a database of the release before it: the user each API app acts as becomes its admin, others agents; apps keep every permission', async () => {
    const { location, remove } = await testDatabase();
    const database = openDatabase(location);
    try {
      const { db } = database;
      const all = await migrationProvider.getMigrations();
      const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0006'));
      const older = new Migrator({ db, provider: { getMigrations: async () => before } });
      assert.equal((await older.migrateToLatest()).error, undefined);
      await db.insertInto('tenants').values({ id: 'tnnt0000000000000old', name: 'old', time_zone: 'UTC', created_at: 0 }).execute();
      // The columns of that release only: the table types describe the latest.
      await sql`insert into users (tenant_id, id, name, created_at) values
        ('tnnt0000000000000old', '10gg0000000000000app', 'the app''s user', 0), ('tnnt0000000000000old', '10gg000000000000ag01', 'an agent', 0)`.execute(db);
      await sql`insert into api_apps (tenant_id, id, name, client_id, client_secret_hash, user_id, created_at)
        values ('tnnt0000000000000old', 'apap0000000000000old', 'old app', 'old-client', 'x', '10gg0000000000000app', 0)`.execute(db);

      await migrateToLatest(db);
      const users = await db.selectFrom('users').select(['id', 'role', 'status', 'login', 'password_hash']).orderBy('id').execute();
      assert.deepEqual(users, [
        { id: '10gg0000000000000app', role: 'admin', status: 'active', login: null, password_hash: null },
        { id: '10gg000000000000ag01', role: 'agent', status: 'active', login: null, password_hash: null },
      ]);
      assert.deepEqual(await db.selectFrom('api_apps').select('role').execute(), [{ role: null }]);
    } finally {
      await database.close();
      await remove();
    }
  });
});
