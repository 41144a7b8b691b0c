/** The change signal of one process: what changed in the database, and the feed of each tenant's changes. */
export { ChangeSignal, DEFAULT_MAX_SUBSCRIBERS, type ChangeSignalOptions, type PostgresSignalOptions, type SqliteSignalOptions } from './change-signal.js';
export { FEED_PAGE_LIMIT, type ChangeFeed } from './feed-subscription.js';
export { kyselyChangeSource } from './kysely-source.js';
export { changeNotificationCall, sendChangeNotifications } from './notify.js';
export { CHANGES_CHANNEL, REVOCATION_PAYLOAD, changeNotifications, changePayload, heartbeatPayload, parsePayload, type ChangeMessage } from './protocol.js';
export type { ChangeSource } from './source.js';
export { TooManySubscribersError } from './subscribers.js';
