// A socket that stands where the controller's would and answers each request line with whatever a
// test wants (garbage, refusals, hang-ups): hostile or odd input for the clients. Not a mock of the
// controller's logic — the clients under test are real.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeController {
  env: NodeJS.ProcessEnv;
  connections(): number;
  /** Resolves when a connection closes. */
  closed: Promise<void>;
  stop(): void;
}

/** Answers each request with `answer(req, socket)`: raw text written as is, nothing for null; `end` hangs up after each answer. */
export async function fakeController<R extends { id: number; op: string }>(answer: (req: R, socket: Socket) => string | null, end = false): Promise<FakeController> {
  const home = mkdtempSync(join(tmpdir(), 'pc-fake-'));
  let onClosed = (): void => {};
  const closed = new Promise<void>((r) => (onClosed = r));
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('close', onClosed);
    socket.on('error', () => {});
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const req = JSON.parse(buffered.slice(0, nl)) as R;
        buffered = buffered.slice(nl + 1);
        const line = answer(req, socket);
        if (line !== null && !socket.destroyed) socket.write(line);
        if (end) socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(join(home, 'controller.sock'), resolve));
  return {
    env: { PANECREW_HOME: home },
    connections: () => sockets.length,
    closed,
    stop: () => {
      for (const s of sockets) s.destroy();
      server.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
