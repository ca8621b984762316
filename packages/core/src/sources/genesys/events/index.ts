// Genesys Cloud events (issue 12): pure readers of what the intake and the Notifications API
// WebSocket receive, the Notifications API's requests and session, and the coalescing rule.
export * from './coalesce.js';
export * from './intake.js';
export * from './notifications.js';
export * from './notifications-session.js';
export { type GenesysControlFrame, readTime as readGenesysEventTime } from './read.js';
export * from './types.js';
