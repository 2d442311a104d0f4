import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessages } from './anthropic.js';
import type { MockProtocol } from './protocol.js';
import { buildMessage, errorType } from './reply.js';
import type { MockApi, MockApiOptions, MockReply, MockScript, RecordedRequest } from './types.js';

/**
 * A local server that speaks enough of a model API for the built-in agent and the real third-party
 * CLIs (see docs/notes on real agent CLIs): the Anthropic Messages API by default, or the protocol
 * given in `opts.protocol` (OpenAI Responses for Codex, Gemini for Gemini CLI); streaming and not,
 * scripted per test. It never validates keys, models or beta headers.
 */
export async function startMockApi(script: MockScript, opts: MockApiOptions = {}): Promise<MockApi> {
  const requests: RecordedRequest[] = [];
  const hits: string[] = [];
  // Timers of slow or hanging replies, so close() can end them instead of waiting.
  const pending = new Set<() => void>();
  const protocol: MockProtocol = opts.protocol ?? anthropicMessages;

  const nextReply = async (req: RecordedRequest): Promise<MockReply> => {
    if (typeof script === 'function') return script(req);
    const step = script[Math.min(req.index, script.length - 1)];
    return step ?? { text: 'OK.' };
  };

  const server = http.createServer((req, res) => {
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    hits.push(`${req.method ?? 'GET'} ${path}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      handle(req.method ?? 'GET', path, query, req.headers, raw, res).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, 'api_error', `mock server failure: ${String(err)}`);
        else res.destroy();
      });
    });
  });

  async function handle(
    method: string,
    path: string,
    query: string,
    headers: http.IncomingHttpHeaders,
    raw: string,
    res: http.ServerResponse,
  ): Promise<void> {
    if (method === 'POST' && path === '/v1/messages/count_tokens') {
      sendJson(res, 200, { input_tokens: Math.max(1, Math.ceil(raw.length / 4)) });
      return;
    }
    if (!protocol.isModelCall(method, path, query)) {
      // Claude Code sends `HEAD /` first; anything unexpected gets a harmless empty answer.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(method === 'HEAD' ? undefined : '{}');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      sendError(res, 400, 'invalid_request_error', 'request body is not valid JSON');
      return;
    }
    const recorded: RecordedRequest = { index: requests.length, path, headers, ...protocol.view(path, query, body), body };
    requests.push(recorded);
    const reply = await nextReply(recorded);

    if (reply.error) {
      const { status } = reply.error;
      const extra: Record<string, string> = {};
      if (status === 429 || status === 529) extra['retry-after'] = String(reply.error.retryAfter ?? 1);
      const body = protocol.error(status, reply.error.type ?? errorType(status), reply.error.message ?? `mock ${status}`);
      sendJson(res, status, body, { 'request-id': `req_mock_error_${status}`, ...extra });
      return;
    }

    const msg = buildMessage(reply, recorded, raw.length);
    if (!recorded.stream) {
      if (reply.hang) return hangUntilClosed(res);
      await wait(reply.delayMs ?? 0, res);
      sendJson(res, 200, protocol.whole(msg));
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'request-id': `req_${msg.id}`,
    });
    const events = protocol.events(msg);
    for (const [i, ev] of events.entries()) {
      if (res.destroyed) return;
      if (i > 0 && reply.hang) return hangUntilClosed(res);
      if (i > 0) await wait(reply.delayMs ?? 0, res);
      res.write(`${ev.event === undefined ? '' : `event: ${ev.event}\n`}data: ${JSON.stringify(ev.data)}\n\n`);
    }
    res.end();
  }

  function wait(ms: number, res: http.ServerResponse): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        pending.delete(done);
        res.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pending.add(done);
      res.once('close', done);
    });
  }

  function hangUntilClosed(res: http.ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        pending.delete(done);
        resolve();
      };
      pending.add(done);
      res.once('close', done);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const done of [...pending]) done();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: 'error', error: { type, message } }, { 'request-id': `req_mock_error_${status}`, ...headers });
}
