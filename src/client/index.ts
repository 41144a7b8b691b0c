/** `import { OpencaseClient } from 'opencase/client'`: the typed client, with no server code behind it. */
export { OpencaseClient, type AccessToken, type OpencaseClientOptions } from './client.js';
export { OpencaseError } from './errors.js';
export type * from './types.js';
