import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.js';
import * as caseStatistics from './0002_case_statistics.js';
import * as closedCases from './0003_closed_cases.js';
import * as wireProfile from './0004_wire_profile.js';
import * as caseTemplates from './0005_case_templates.js';
import * as people from './0006_people.js';
import * as caseSorting from './0007_case_sorting.js';
import * as contactErasure from './0008_contact_erasure.js';
import * as idempotencyKeys from './0009_idempotency_keys.js';
import * as expiryIndexes from './0010_expiry_indexes.js';
import * as webhooks from './0011_webhooks.js';

/** Migrations are compiled into the package (no directory scan at run time); names sort in the order they run. */
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_case_statistics': caseStatistics,
  '0003_closed_cases': closedCases,
  '0004_wire_profile': wireProfile,
  '0005_case_templates': caseTemplates,
  '0006_people': people,
  '0007_case_sorting': caseSorting,
  '0008_contact_erasure': contactErasure,
  '0009_idempotency_keys': idempotencyKeys,
  '0010_expiry_indexes': expiryIndexes,
  '0011_webhooks': webhooks,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
