// Claude Code `-p --output-format stream-json --verbose`: one JSON event per line.
//   {"type":"system","subtype":"init","cwd":...,"model":...}
//   {"type":"assistant","message":{"id":...,"content":[{"type":"tool_use","name":"Read","input":{...}}],"usage":{...}}}
//   {"type":"user","message":{"content":[{"type":"tool_result",...}]}}
//   {"type":"result","subtype":"success","is_error":false,"result":"…","total_cost_usd":0.01,"usage":{...}}
//
// Claude Code writes one `assistant` line per content block, each repeating the message id and
// its usage so far; usage is therefore kept per message id and summed, never added per line. The
// final `result` carries authoritative totals and replaces the running sum.
// Input tokens count everything the model read: input + cache creation + cache reads.
// Failure is `is_error: true`; the subtype can still say "success" when the API call failed.
import { z } from 'zod';
import { LineParser, readEvent } from './base.js';
import { describeToolCall } from './tool-step.js';
import type { ParserOptions } from './types.js';

const count = z.number().finite().nonnegative();

/** A message's usage, as Claude Code writes it in its stream and in its session transcripts. */
export const UsageSchema = z.looseObject({
  input_tokens: count.optional(),
  cache_creation_input_tokens: count.optional(),
  cache_read_input_tokens: count.optional(),
  output_tokens: count.optional(),
});
type ClaudeUsage = z.infer<typeof UsageSchema>;

const ContentBlockSchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  text: z.string().optional(),
  is_error: z.boolean().optional(),
  content: z.unknown().optional(),
});

const EventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('system'), subtype: z.string().optional(), cwd: z.string().optional() }),
  z.looseObject({
    type: z.literal('assistant'),
    message: z.looseObject({
      id: z.string().optional(),
      content: z.array(z.unknown()).optional(),
      usage: UsageSchema.optional().catch(undefined),
    }),
  }),
  z.looseObject({ type: z.literal('user'), message: z.looseObject({ content: z.unknown().optional() }).optional().catch(undefined) }),
  z.looseObject({
    type: z.literal('result'),
    subtype: z.string().optional(),
    is_error: z.boolean().optional(),
    result: z.string().optional(),
    total_cost_usd: count.optional().catch(undefined),
    usage: UsageSchema.optional().catch(undefined),
    errors: z.array(z.unknown()).optional().catch(undefined),
  }),
]);

export const inputOf = (u: ClaudeUsage): number =>
  (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);

export class ClaudeStreamJsonParser extends LineParser {
  private cwd: string | undefined;
  private readonly usageByMessage = new Map<string, { input: number; output: number }>();
  private anonymousMessages = 0;

  constructor(options?: ParserOptions) {
    super(options);
    this.cwd = options?.cwd;
  }

  protected handleLine(line: string): void {
    const ev = readEvent(EventSchema, line);
    if (!ev) return;
    switch (ev.type) {
      case 'system':
        if (ev.subtype === 'init' && ev.cwd && !this.cwd) this.cwd = ev.cwd;
        return;
      case 'assistant': {
        for (const raw of ev.message.content ?? []) {
          const block = ContentBlockSchema.safeParse(raw);
          if (!block.success) continue;
          if (block.data.type === 'text' && block.data.text) this.show({ kind: 'text', text: block.data.text });
          if (block.data.type !== 'tool_use' || !block.data.name) continue;
          const step = describeToolCall(block.data.name, block.data.input, this.cwd);
          this.set({ toolCalls: this.mutable.toolCalls + 1, step });
          this.show({ kind: 'step', step });
        }
        const usage = ev.message.usage;
        if (usage) {
          const id = ev.message.id ?? `#${this.anonymousMessages++}`;
          this.usageByMessage.set(id, { input: inputOf(usage), output: usage.output_tokens ?? 0 });
          let input = 0;
          let output = 0;
          for (const u of this.usageByMessage.values()) {
            input += u.input;
            output += u.output;
          }
          this.set({ inputTokens: input, outputTokens: output });
        }
        return;
      }
      case 'user':
        // Tool results go back to the model; a person needs to see only the failed ones.
        for (const raw of Array.isArray(ev.message?.content) ? ev.message.content : []) {
          const block = ContentBlockSchema.safeParse(raw);
          if (block.success && block.data.type === 'tool_result' && block.data.is_error) this.show({ kind: 'tool-error', message: resultText(block.data.content) });
        }
        return;
      case 'result': {
        const isError = ev.is_error ?? ev.subtype?.startsWith('error') ?? false;
        this.set({
          isError,
          ...(ev.result !== undefined ? { result: ev.result } : {}),
          ...(ev.total_cost_usd !== undefined ? { costUsd: ev.total_cost_usd } : {}),
          ...(ev.usage ? { inputTokens: inputOf(ev.usage), outputTokens: ev.usage.output_tokens ?? 0 } : {}),
        });
        if (isError) this.set({ errorMessage: errorText(ev.result, ev.errors, ev.subtype) });
        this.show({ kind: 'result', text: (isError ? this.mutable.errorMessage : ev.result) ?? '', isError });
        return;
      }
    }
  }
}

function errorText(result: string | undefined, errors: unknown[] | undefined, subtype: string | undefined): string {
  if (result && result.trim() !== '') return result.trim();
  const listed = (errors ?? []).filter((e): e is string => typeof e === 'string');
  if (listed.length > 0) return listed.join('; ');
  return subtype ? `claude reported ${subtype}` : 'claude reported an error';
}

/** A tool result's text: a string, or the text blocks of a content array. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return 'the tool failed';
  return content.map((b) => ContentBlockSchema.safeParse(b).data?.text ?? '').join('\n');
}
