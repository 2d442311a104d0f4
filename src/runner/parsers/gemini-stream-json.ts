// Gemini CLI `gemini --output-format stream-json`: one JSON event per line:
//   init         session_id, model
//   message      role (user | assistant), content, delta (true: a piece of the assistant's text)
//   tool_use     tool_name, tool_id, parameters
//   tool_result  tool_id, status (success | error), output, error.message
//   error        severity, message (a warning or a non-fatal error)
//   result       status (success | error), error.message, stats.{input_tokens, output_tokens, tool_calls}
// Shapes checked against real runs of @google/gemini-cli 0.61.0 (test/agents/gemini.test.ts).
import { z } from 'zod';
import { LineParser, readEvent } from './base.js';
import { describeToolCall } from './tool-step.js';

const count = z.number().finite().nonnegative();

const EventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('message'), role: z.string(), content: z.string(), delta: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool_use'), tool_name: z.string(), tool_id: z.string().optional(), parameters: z.unknown().optional() }),
  z.looseObject({
    type: z.literal('result'),
    status: z.string().optional(),
    error: z.looseObject({ message: z.string().optional() }).optional().catch(undefined),
    stats: z.looseObject({ input_tokens: count.optional(), output_tokens: count.optional() }).optional().catch(undefined),
  }),
]);

/** Gemini CLI's tool names → the shared step names (tool-step.ts). */
const TOOL_NAMES: Record<string, string> = {
  run_shell_command: 'bash',
  read_file: 'read',
  read_many_files: 'read',
  write_file: 'write',
  replace: 'edit',
  list_directory: 'ls',
  grep_search: 'grep',
  search_file_content: 'grep',
  glob: 'glob',
  web_fetch: 'webfetch',
  google_web_search: 'websearch',
};

export class GeminiStreamJsonParser extends LineParser {
  /** The assistant's text since the last tool call: the answer, once the run ends. */
  private text = '';

  protected handleLine(line: string): void {
    const ev = readEvent(EventSchema, line);
    if (!ev) return;
    switch (ev.type) {
      case 'message':
        if (ev.role !== 'assistant') return;
        this.text = ev.delta === false ? ev.content : this.text + ev.content;
        if (this.text.trim() !== '') this.set({ result: this.text.trim() });
        return;
      case 'tool_use': {
        this.text = '';
        const name = TOOL_NAMES[ev.tool_name] ?? ev.tool_name;
        const params = ev.parameters as Record<string, unknown> | undefined;
        const input = params && typeof params === 'object' ? { ...params, path: params.file_path ?? params.absolute_path ?? params.dir_path ?? params.path } : params;
        this.set({ step: describeToolCall(name, input, this.cwdHint), toolCalls: this.mutable.toolCalls + 1 });
        return;
      }
      case 'result': {
        // stats are the whole run's totals.
        if (ev.stats) this.set({ inputTokens: ev.stats.input_tokens ?? this.mutable.inputTokens, outputTokens: ev.stats.output_tokens ?? this.mutable.outputTokens });
        if (ev.status !== undefined && ev.status !== 'success') this.set({ isError: true, errorMessage: ev.error?.message ?? `gemini ended with status ${ev.status}` });
        return;
      }
    }
  }
}
