import { PERMISSIONS, ROLES, type Action, type Scope } from './table.js';

const CELLS: Record<Scope, string> = { none: '—', own: 'own', any: 'all' };

/**
 * The permission table as docs/security.md shows it (test/permissions/doc.test.ts checks that the two agree;
 * `npx tsx scripts/permission-table.ts` prints it): one row an action, the calls that check it, what each role may.
 */
export function permissionTableMarkdown(): string {
  const rows = (Object.keys(PERMISSIONS) as Action[]).map((action) => {
    const entry = PERMISSIONS[action];
    return `| \`${action}\` | ${entry.calls} | ${ROLES.map((role) => CELLS[entry[role]]).join(' | ')} |`;
  });
  return [`| action | calls | ${ROLES.join(' | ')} |`, `|---|---|${ROLES.map(() => '---').join('|')}|`, ...rows].join('\n');
}
