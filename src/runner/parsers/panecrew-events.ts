// The built-in agent's JSON lines (src/agent writes them to events.jsonl):
//   {"type":"start","at":EPOCH_MS,"model":"..."}
//   {"type":"step","at":...,"step":"Read src/auth.ts","tool":"read_file","input":{...}}
//   {"type":"usage","at":...,"inputTokens":N,"outputTokens":N,"costUsd"?:N}   cumulative totals
//   {"type":"result","at":...,"text":"final answer","isError":false}
//   {"type":"error","at":...,"message":"...","retryable":true,"status":429}
import { z } from 'zod';
import { LineParser, readEvent } from './base.js';
import { oneLine } from './text.js';
import { STEP_MAX } from './tool-step.js';

const count = z.number().finite().nonnegative();

const EventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('start'), model: z.string().optional() }),
  z.looseObject({ type: z.literal('step'), step: z.string(), tool: z.string().optional(), percent: z.number().min(0).max(100).optional() }),
  z.looseObject({ type: z.literal('usage'), inputTokens: count, outputTokens: count, costUsd: count.optional() }),
  z.looseObject({ type: z.literal('result'), text: z.string(), isError: z.boolean().optional() }),
  z.looseObject({
    type: z.literal('error'),
    message: z.string(),
    retryable: z.boolean().optional(),
    status: z.number().optional(),
  }),
]);

export class PanecrewEventsParser extends LineParser {
  protected handleLine(line: string): void {
    const ev = readEvent(EventSchema, line);
    if (!ev) return;
    switch (ev.type) {
      case 'start':
        return;
      case 'step': {
        const step = oneLine(ev.step, STEP_MAX);
        this.show({ kind: 'step', step });
        this.set({
          step,
          ...(ev.tool !== undefined ? { toolCalls: this.mutable.toolCalls + 1 } : {}),
          ...(ev.percent !== undefined ? { percent: ev.percent } : {}),
        });
        return;
      }
      case 'usage':
        this.set({ inputTokens: ev.inputTokens, outputTokens: ev.outputTokens, ...(ev.costUsd !== undefined ? { costUsd: ev.costUsd } : {}) });
        return;
      case 'result':
        this.set({ result: ev.text, isError: ev.isError ?? false });
        this.show({ kind: 'result', text: ev.text, isError: ev.isError ?? false });
        return;
      case 'error': {
        const detail = [ev.status !== undefined ? `status ${ev.status}` : '', ev.retryable ? 'retryable' : ''].filter(Boolean).join(', ');
        const message = detail ? `${ev.message} (${detail})` : ev.message;
        this.set({ isError: true, errorMessage: message });
        this.show({ kind: 'error', message });
        return;
      }
    }
  }
}
