import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm test`: the whole suite on SQLite, then again on PostgreSQL when OPENCASE_TEST_PG_URL names a server
 * (scripts/with-postgres.sh starts a throwaway one). Says plainly when the PostgreSQL run is skipped.
 */
function testFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = testFiles('test');
const run = (backend: 'sqlite' | 'postgres'): boolean => {
  process.stdout.write(`\n=== opencase test suite on ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ===\n`);
  const result = spawnSync(process.execPath, ['--conditions=opencase-source', '--import', 'tsx', '--test', ...files], {
    stdio: 'inherit', env: { ...process.env, OPENCASE_TEST_BACKEND: backend },
  });
  return result.status === 0;
};

const onSqlite = run('sqlite');
let onPostgres = true;
if (process.env.OPENCASE_TEST_PG_URL) {
  onPostgres = run('postgres');
} else {
  process.stdout.write('\nPostgreSQL suite skipped: OPENCASE_TEST_PG_URL is not set. Run it with: scripts/with-postgres.sh npm test\n');
}
process.exit(onSqlite && onPostgres ? 0 : 1);
