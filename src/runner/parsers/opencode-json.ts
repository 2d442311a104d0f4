// OpenCode `opencode run --format json`: one JSON event per line, each
// {"type", "timestamp", "sessionID", "part": {...}}:
//   step_start   a model turn begins
//   tool_use     part.tool ("read", "bash", …), part.callID, part.state.{status,input,title}
//   text         part.text, part.messageID — a finished text part of the assistant's message
//   step_finish  part.reason ("tool-calls" | "stop"), part.cost (USD), part.tokens
//                {input, output, reasoning, cache: {read, write}} — for that step only, so summed
//   error        error.{name, data.message}
// Shapes checked against real runs of opencode-ai 1.18.33 (test/runner/fixtures/opencode-*.jsonl).
import { z } from 'zod';
import { LineParser, readEvent } from './base.js';
import { describeToolCall } from './tool-step.js';

const count = z.number().finite().nonnegative();

const TokensSchema = z.looseObject({
  input: count.optional(),
  output: count.optional(),
  reasoning: count.optional(),
  cache: z.looseObject({ read: count.optional(), write: count.optional() }).optional().catch(undefined),
});

const ErrorSchema = z.looseObject({
  name: z.string().optional(),
  message: z.string().optional(),
  data: z.looseObject({ message: z.string().optional() }).optional().catch(undefined),
});

const EventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('tool_use'),
    part: z.looseObject({
      id: z.string().optional(),
      callID: z.string().optional(),
      tool: z.string(),
      state: z.looseObject({ status: z.string().optional(), input: z.unknown().optional(), error: z.string().optional() }).optional(),
    }),
  }),
  z.looseObject({
    type: z.literal('text'),
    part: z.looseObject({ id: z.string().optional(), messageID: z.string().optional(), text: z.string() }),
  }),
  z.looseObject({
    type: z.literal('step_finish'),
    part: z.looseObject({ reason: z.string().optional(), cost: count.optional().catch(undefined), tokens: TokensSchema.optional().catch(undefined) }),
  }),
  z.looseObject({ type: z.literal('error'), error: z.union([ErrorSchema, z.string()]).optional(), message: z.string().optional() }),
]);

export class OpencodeJsonParser extends LineParser {
  private readonly seenCalls = new Set<string>();
  private textMessageId: string | undefined;
  private readonly textParts = new Map<string, string>();

  protected handleLine(line: string): void {
    const ev = readEvent(EventSchema, line);
    if (!ev) return;
    switch (ev.type) {
      case 'tool_use': {
        // One call may be reported more than once (pending, running, completed): count it once.
        const callId = ev.part.callID ?? ev.part.id;
        const isNew = callId === undefined || !this.seenCalls.has(callId);
        if (callId !== undefined) this.seenCalls.add(callId);
        const step = describeToolCall(ev.part.tool, ev.part.state?.input, this.cwdHint);
        this.set({ step, ...(isNew ? { toolCalls: this.mutable.toolCalls + 1 } : {}) });
        if (isNew) this.show({ kind: 'step', step });
        if (ev.part.state?.status === 'error') this.show({ kind: 'tool-error', message: ev.part.state.error ?? 'the tool failed' });
        return;
      }
      case 'text': {
        // The answer is the text of the latest assistant message; earlier messages were narration
        // between tool calls.
        const messageId = ev.part.messageID ?? '';
        if (messageId !== this.textMessageId) {
          this.textMessageId = messageId;
          this.textParts.clear();
        }
        this.textParts.set(ev.part.id ?? `#${this.textParts.size}`, ev.part.text);
        if (ev.part.text.trim() !== '') this.show({ kind: 'text', text: ev.part.text });
        const text = [...this.textParts.values()].filter((t) => t.trim() !== '').join('\n\n');
        if (text !== '') this.set({ result: text });
        return;
      }
      case 'step_finish': {
        const t = ev.part.tokens;
        if (t) {
          this.set({
            inputTokens: this.mutable.inputTokens + (t.input ?? 0) + (t.cache?.read ?? 0) + (t.cache?.write ?? 0),
            outputTokens: this.mutable.outputTokens + (t.output ?? 0) + (t.reasoning ?? 0),
          });
        }
        if (ev.part.cost !== undefined) this.set({ costUsd: (this.mutable.costUsd ?? 0) + ev.part.cost });
        // The last step of a run ends with "stop": its text, already shown, is the answer.
        if (ev.part.reason === 'stop') this.show({ kind: 'result', text: this.mutable.result ?? '', isError: false });
        return;
      }
      case 'error': {
        const e = ev.error;
        const message =
          typeof e === 'string' ? e : (e?.data?.message ?? e?.message ?? ev.message ?? (e?.name ? `opencode reported ${e.name}` : 'opencode reported an error'));
        this.set({ isError: true, errorMessage: message });
        this.show({ kind: 'error', message });
        return;
      }
    }
  }
}
