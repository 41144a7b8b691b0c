import { permissionTableMarkdown } from '../src/permissions/markdown.js';

/** Prints the permission table for docs/security.md ("Who may do what"). */
process.stdout.write(`${permissionTableMarkdown()}\n`);
