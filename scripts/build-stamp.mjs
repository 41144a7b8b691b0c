// The build's last step: records what dist/ was built from (scripts/build-inputs.mjs), for `npm start`.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashInputs, ROOT, STAMP } from './build-inputs.mjs';

// npx opencase runs dist/cli.js, which must be executable.
chmodSync(join(ROOT, 'dist', 'cli.js'), 0o755);
writeFileSync(STAMP, `${hashInputs()}\n`);
