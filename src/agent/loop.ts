import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock, MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { AgentOptions } from './args.js';
import type { Confinement } from './confine.js';
import type { EventLog } from './events.js';
import { describeCall, runTool, toolDefinitions } from './tools/index.js';
import type { Transcript } from './transcript.js';

export const DEFAULT_SYSTEM =
  'You are a coding agent working in a repository. You can only read: use the tools (read_file, list_dir, glob, grep) ' +
  'to explore; paths are relative to the working directory and cannot leave it. Be concise. When you have the answer, ' +
  'reply with it in plain text and stop calling tools.';

export interface LoopContext {
  client: Anthropic;
  opts: AgentOptions;
  confine: Confinement;
  events: EventLog;
  transcript: Transcript;
  signal: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface LoopOutcome {
  text: string;
  turns: number;
  usage: Usage;
  /** Set when the loop stopped at a limit instead of with a final answer. */
  stoppedBy?: 'max-turns' | 'token-budget' | 'max-tokens';
}

const textOf = (content: ContentBlock[]): string =>
  content
    .filter((b): b is Extract<ContentBlock, { type: 'text' }> => b.type === 'text')
    .map((b) => b.text)
    .join('')
    .trim();

/**
 * The tool loop: ask the model, run the read-only tools it calls, send the results back, until it
 * answers without tools or a limit is reached. API errors and aborts propagate to the caller.
 */
export async function runLoop(ctx: LoopContext): Promise<LoopOutcome> {
  const { client, opts, confine, events, transcript, signal } = ctx;
  const messages: MessageParam[] = [{ role: 'user', content: opts.prompt }];
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  const tools = toolDefinitions();
  let lastText = '';

  for (let turn = 1; ; turn++) {
    const stream = client.messages.stream(
      { model: opts.model, max_tokens: opts.maxTokens, system: opts.system ?? DEFAULT_SYSTEM, tools, messages },
      { signal },
    );
    stream.on('text', (delta) => transcript.text(delta));
    const message = await stream.finalMessage();
    transcript.endOfMessage();

    const u = message.usage;
    usage.inputTokens += u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
    usage.outputTokens += u.output_tokens;
    events.emit({ type: 'usage', inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });

    const text = textOf(message.content);
    if (text !== '') lastText = text;
    messages.push({ role: 'assistant', content: message.content });

    const calls = message.content.filter((b): b is Extract<ContentBlock, { type: 'tool_use' }> => b.type === 'tool_use');
    if (message.stop_reason !== 'tool_use' || calls.length === 0) {
      if (message.stop_reason === 'max_tokens') {
        return { text: stopped(lastText, `the response hit --max-tokens ${opts.maxTokens}`), turns: turn, usage, stoppedBy: 'max-tokens' };
      }
      return { text: lastText, turns: turn, usage };
    }
    // Limits are checked before running the calls: their results could not be sent anyway.
    if (turn >= opts.maxTurns) {
      return { text: stopped(lastText, `reached --max-turns ${opts.maxTurns} before a final answer`), turns: turn, usage, stoppedBy: 'max-turns' };
    }
    const used = usage.inputTokens + usage.outputTokens;
    if (used >= opts.tokenBudget) {
      return {
        text: stopped(lastText, `token budget exhausted: used ${used} of --token-budget ${opts.tokenBudget} tokens`),
        turns: turn,
        usage,
        stoppedBy: 'token-budget',
      };
    }

    const results: ToolResultBlockParam[] = [];
    for (const call of calls) {
      signal.throwIfAborted();
      const shown = describeCall(call.name, call.input);
      events.emit({ type: 'step', step: shown.step, tool: call.name, input: call.input });
      transcript.toolCall(shown.describe);
      const outcome = await runTool(call.name, call.input, { confine });
      if (outcome.isError) transcript.toolFailed(outcome.text);
      results.push({ type: 'tool_result', tool_use_id: call.id, content: outcome.text, ...(outcome.isError ? { is_error: true } : {}) });
    }
    messages.push({ role: 'user', content: results });
  }
}

function stopped(lastText: string, reason: string): string {
  const note = `[stopped: ${reason}]`;
  return lastText === '' ? note : `${lastText}\n\n${note}`;
}
