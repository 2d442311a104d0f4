import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../support/mock-api.js';
import { until } from './helpers.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const client = (url: string): Anthropic => new Anthropic({ apiKey: 'sk-ant-test', baseURL: url, maxRetries: 0 });
const listTool = { name: 'list_dir', description: 'list', input_schema: { type: 'object' as const, properties: {} } };

describe('mock Messages API', () => {
  it('streams a text reply as the real SSE event sequence the SDK assembles', async () => {
    api = await startMockApi([{ text: 'Hello from the mock server, streamed in pieces.' }]);
    const stream = client(api.url).messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const types: string[] = [];
    stream.on('streamEvent', (e: RawMessageStreamEvent) => types.push(e.type));
    const msg = await stream.finalMessage();

    expect(msg.content).toHaveLength(1);
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Hello from the mock server, streamed in pieces.' });
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect(types[0]).toBe('message_start');
    expect(types.slice(1, 2)).toEqual(['content_block_start']);
    expect(types.filter((t) => t === 'content_block_delta').length).toBeGreaterThan(1);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('sends a tool_use with its whole input when the tool is offered', async () => {
    api = await startMockApi([{ text: 'Looking.', toolUse: { name: 'list_dir', input: { path: 'src' } } }]);
    const msg = await client(api.url)
      .messages.stream({ model: 'm', max_tokens: 100, tools: [listTool], messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content[1]).toMatchObject({ type: 'tool_use', name: 'list_dir', input: { path: 'src' } });
    expect(api.requests[0]?.tools.map((t) => t.name)).toEqual(['list_dir']);
  });

  it('answers with text, not a tool_use, when the scripted tool is not offered', async () => {
    api = await startMockApi([{ toolUse: { name: 'list_dir', input: {} } }]);
    const msg = await client(api.url)
      .messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'title please' }] })
      .finalMessage();
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.content.map((b) => b.type)).toEqual(['text']);
  });

  it('answers non-streaming requests with one JSON message', async () => {
    api = await startMockApi(() => ({ text: 'plain JSON' }));
    const msg = await client(api.url).messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'plain JSON' });
    expect(api.requests[0]?.stream).toBe(false);
  });

  it('records model, messages and tools, and ignores the query string', async () => {
    api = await startMockApi([{ text: 'ok' }]);
    const res = await fetch(`${api.url}/v1/messages?beta=true`, {
      method: 'POST',
      body: JSON.stringify({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'q' }], tools: [listTool] }),
    });
    expect(res.status).toBe(200);
    await res.json();
    expect(api.requests[0]).toMatchObject({ model: 'claude-x', messages: [{ role: 'user', content: 'q' }], tools: [{ name: 'list_dir' }] });
  });

  it('answers HEAD / and unknown paths harmlessly', async () => {
    api = await startMockApi([]);
    const head = await fetch(`${api.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const other = await fetch(`${api.url}/v1/models`);
    expect(other.status).toBe(200);
    expect(api.hits).toEqual(['HEAD /', 'GET /v1/models']);
    expect(api.requests).toHaveLength(0);
  });

  it('returns a scripted 429 as an Anthropic error with retry-after', async () => {
    api = await startMockApi([{ error: { status: 429, message: 'slow down', retryAfter: 7 } }]);
    const res = await fetch(`${api.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
  });

  it('surfaces a scripted 529 to the SDK as an overloaded error', async () => {
    api = await startMockApi([{ error: { status: 529 } }]);
    const err = await client(api.url)
      .messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error');
  });

  it('a list script repeats its last step once exhausted', async () => {
    api = await startMockApi([{ text: 'first' }, { text: 'again' }]);
    const c = client(api.url);
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await c.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
      texts.push(m.content[0]?.type === 'text' ? m.content[0].text : '');
    }
    expect(texts).toEqual(['first', 'again', 'again']);
  });

  it('close() ends a hanging stream instead of waiting for it', async () => {
    api = await startMockApi([{ hang: true, text: 'never finished' }]);
    const pending = client(api.url)
      .messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((e: unknown) => e);
    const started = Date.now();
    const server = api;
    await until('the hanging request to arrive', () => server.requests.length > 0);
    await api.close();
    api = undefined;
    expect(await pending).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
