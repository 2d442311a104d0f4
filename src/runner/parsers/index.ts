// Output parsers: one per agent output format, all behind `createParser`.
import { ClaudeStreamJsonParser } from './claude-stream-json.js';
import { CodexJsonParser } from './codex-json.js';
import { GeminiStreamJsonParser } from './gemini-stream-json.js';
import { OpencodeJsonParser } from './opencode-json.js';
import { PanecrewEventsParser } from './panecrew-events.js';
import { PlainParser } from './plain.js';
import type { OutputFormat, OutputParser, ParserOptions } from './types.js';

export { OUTPUT_FORMATS } from './types.js';
export type { OutputFormat, OutputParser, ParseState, ParserOptions, Shown } from './types.js';
export { DEFAULT_MAX_LINE_LENGTH } from './base.js';
export { PLAIN_RESULT_LINES } from './plain.js';
export { describeToolCall } from './tool-step.js';
export { stripAnsi } from './text.js';

export function createParser(format: OutputFormat, options: ParserOptions = {}): OutputParser {
  switch (format) {
    case 'plain':
      return new PlainParser(options);
    case 'claude-stream-json':
      return new ClaudeStreamJsonParser(options);
    case 'opencode-json':
      return new OpencodeJsonParser(options);
    case 'codex-json':
      return new CodexJsonParser(options);
    case 'gemini-stream-json':
      return new GeminiStreamJsonParser(options);
    case 'panecrew-events':
      return new PanecrewEventsParser(options);
  }
}
