export { startMockApi } from './server.js';
export { explorerScript } from './explorer.js';
export { toolExchanges, lastToolResults, promptText, offersTool, type ToolExchange } from './inspect.js';
export type { MockApi, MockApiOptions, MockError, MockMessage, MockReply, MockScript, MockToolUse, RecordedRequest } from './types.js';
