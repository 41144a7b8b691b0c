/**
 * Another process writing to a SQLite database: `node --conditions=opencase-source --import tsx sqlite-writer.ts FILE
 * TENANT TRANSACTIONS [GO_FILE]`. Each transaction takes numbers of the tenant's change sequence, mixing task traces,
 * case traces and numbers with no trace, as opencase's writers do. With GO_FILE it says "ready" and waits for that file
 * to exist before writing, so that several writers start together. Prints, last, the trace numbers it wrote and when
 * its last commit returned (epoch ms).
 */
import { existsSync } from 'node:fs';
import { openChangeDb, sleep, writeChange, type Step } from './fixtures.js';

const [file, tenantId, transactions, goFile] = process.argv.slice(2);
if (!file || !tenantId || !transactions) throw new Error('usage: sqlite-writer.ts FILE TENANT TRANSACTIONS [GO_FILE]');
const PLANS: Step[][] = [['task'], ['case', 'gap'], ['gap'], ['task', 'case', 'task'], ['gap', 'case']];
const database = await openChangeDb(file);
if (goFile) {
  process.stdout.write('ready\n');
  while (!existsSync(goFile)) await sleep(2);
}
const seqs: number[] = [];
let committedAt = 0;
for (let i = 0; i < Number(transactions); i++) {
  seqs.push(...(await writeChange(database.db, tenantId, PLANS[i % PLANS.length] ?? ['task'])).traceSeqs);
  committedAt = Date.now();
  // A pause after each commit, so that the other writers, asleep in SQLite's busy handler (up to 100 ms at a time), get
  // the write lock too: back to back, one writer on a loaded CI machine took all of its 100 turns before the other's
  // first, and the test that relies on the writers interleaving proved nothing.
  await sleep(10);
}
await database.close();
process.stdout.write(`${JSON.stringify({ seqs, committedAt })}\n`);
