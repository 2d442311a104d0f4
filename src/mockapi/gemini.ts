// The Gemini API (`POST /v1beta/models/MODEL:streamGenerateContent?alt=sse` and `:generateContent`),
// as Gemini CLI uses it: `contents` with text / functionCall / functionResponse parts become
// Messages-shaped messages; the built message becomes SSE `data:` chunks of GenerateContentResponse.
import type { MockProtocol, RequestView } from './protocol.js';
import { chunkText, type BuiltMessage } from './reply.js';
import type { MockMessage } from './types.js';

type Item = Record<string, unknown>;
const MODEL_CALL = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;

/** Gemini has no call ids on the wire by default: pair a call with its response by name and order. */
function messagesOf(contents: unknown): MockMessage[] {
  if (!Array.isArray(contents)) return [];
  const out: MockMessage[] = [];
  const open = new Map<string, string[]>();
  let n = 0;
  for (const c of contents as Item[]) {
    const parts = Array.isArray(c.parts) ? (c.parts as Item[]) : [];
    const role = c.role === 'model' ? 'assistant' : 'user';
    const blocks: Array<Item & { type: string }> = [];
    for (const p of parts) {
      if (typeof p.text === 'string' && p.thought !== true) blocks.push({ type: 'text', text: p.text });
      const call = p.functionCall as Item | undefined;
      if (call) {
        const id = typeof call.id === 'string' ? call.id : `gemini_call_${++n}`;
        const name = String(call.name);
        open.set(name, [...(open.get(name) ?? []), id]);
        blocks.push({ type: 'tool_use', id, name, input: call.args ?? {} });
      }
      const resp = p.functionResponse as Item | undefined;
      if (resp) {
        const name = String(resp.name);
        const id = typeof resp.id === 'string' ? resp.id : (open.get(name)?.shift() ?? '');
        const r = resp.response as Item | undefined;
        const text = typeof r?.output === 'string' ? r.output : typeof r?.error === 'string' ? r.error : JSON.stringify(r ?? {});
        blocks.push({ type: 'tool_result', tool_use_id: id, content: text, is_error: r?.error !== undefined });
      }
    }
    if (blocks.length > 0) out.push({ role, content: blocks });
  }
  return out;
}

function usage(msg: BuiltMessage): Item {
  const { input_tokens, output_tokens } = msg.usage;
  return { promptTokenCount: input_tokens, candidatesTokenCount: output_tokens, totalTokenCount: input_tokens + output_tokens };
}

function chunk(msg: BuiltMessage, parts: Item[], last: boolean): Item {
  return {
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    ...(last ? { usageMetadata: usage(msg) } : {}),
    modelVersion: msg.model,
    responseId: msg.id,
  };
}

function parts(msg: BuiltMessage): Item[] {
  return msg.content.map((b) => (b.type === 'text' ? { text: b.text } : { functionCall: { id: b.id, name: b.name, args: b.input } }));
}

export const geminiApi: MockProtocol = {
  isModelCall: (method, path) => method === 'POST' && MODEL_CALL.test(path),
  view(path, _query, body): RequestView {
    const decls = (Array.isArray(body.tools) ? (body.tools as Item[]) : []).flatMap((t) =>
      Array.isArray(t.functionDeclarations) ? (t.functionDeclarations as Item[]) : [],
    );
    const m = MODEL_CALL.exec(path);
    return {
      model: m?.[1] ?? '',
      stream: m?.[2] === 'streamGenerateContent',
      system: body.systemInstruction,
      messages: messagesOf(body.contents),
      tools: decls.map((d) => ({
        name: String(d.name),
        description: typeof d.description === 'string' ? d.description : undefined,
        input_schema: d.parametersJsonSchema ?? d.parameters,
      })),
    };
  },
  events(msg) {
    // Text in a few chunks, then the calls and the finish reason with the usage in the last one.
    const events: Array<{ data: Item }> = [];
    for (const block of msg.content) {
      if (block.type === 'text') for (const piece of chunkText(block.text)) events.push({ data: chunk(msg, [{ text: piece }], false) });
    }
    const calls = parts(msg).filter((p) => p.functionCall !== undefined);
    events.push({ data: chunk(msg, calls.length > 0 ? calls : [{ text: '' }], true) });
    return events;
  },
  whole: (msg) => chunk(msg, parts(msg), true),
  error: (status, type, message) => ({ error: { code: status, message, status: type.toUpperCase() } }),
};
