export { runAgent, EXIT, type AgentIO } from './main.js';
export { parseArgs, USAGE, DEFAULT_MODEL, type AgentOptions } from './args.js';
export type { AgentEvent } from './events.js';
