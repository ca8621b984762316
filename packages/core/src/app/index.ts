// Node-only plumbing the command-line apps (the CLI and the Temporal worker) share: not part of the
// pure entry point, since it reads files and the process environment.
export * from './args.js';
export * from './dotenv.js';
export * from './entry.js';
export * from './mapping-file.js';
export * from './progress.js';
