export { startMockApi } from './server.js';
export { explorerScript } from './explorer.js';
export { toolExchanges, lastToolResults, promptText, offersTool, type ToolExchange } from './inspect.js';
export type { MockApi, MockApiOptions, MockError, MockMessage, MockReply, MockScript, MockToolUse, RecordedRequest } from './types.js';
export { anthropicMessages } from './anthropic.js';
export { openAiResponses } from './openai-responses.js';
export { geminiApi } from './gemini.js';
export type { MockProtocol } from './protocol.js';
