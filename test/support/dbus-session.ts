// A private D-Bus session bus plus a recording org.freedesktop.Notifications server, per test file.
// Nothing here touches process.env: tests hand `address` to the code under test through an env option.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';

const SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'notification-server.py');
// Debian's python has python3-dbus and python3-gi; a pyenv python on PATH usually has neither.
const SYSTEM_PYTHON = '/usr/bin/python3';

export interface DbusSession {
  /** Value for DBUS_SESSION_BUS_ADDRESS. */
  address: string;
  /** Scratch directory owned by this bus (socket, config); removed by close(). */
  dir: string;
  close(): Promise<void>;
}

export interface ReceivedNotification {
  /** Epoch ms at which the server got the D-Bus call. */
  received_at: number;
  id: number;
  app_name: string;
  summary: string;
  body: string;
  actions: string[];
  hints: Record<string, unknown>;
  /** 0 low, 1 normal, 2 critical; null when the client sent no urgency hint. */
  urgency: number | null;
  expire_timeout: number;
}

export interface NotificationServer {
  /** Every notification received so far, in order. */
  received(): Promise<ReceivedNotification[]>;
  /** Resolves once at least `count` notifications arrived; rejects after the deadline. */
  waitForCount(count: number, timeoutMs?: number): Promise<ReceivedNotification[]>;
  close(): Promise<void>;
}

/** The bus config: no service directories, so nothing is auto-activated behind the test's back. */
function busConfig(dir: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

async function firstLine(child: ResultPromise, what: string, timeoutMs: number): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} printed nothing within ${timeoutMs}ms`)), timeoutMs);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line.trim());
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${what} exited with code ${code} before it was ready`));
      });
    });
  } finally {
    lines.close();
  }
}

async function stop(child: ResultPromise): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await child.catch(() => undefined);
}

export async function startDbusSession(): Promise<DbusSession> {
  const dir = await mkdtemp(join(tmpdir(), 'pc-dbus-'));
  const config = join(dir, 'session.conf');
  await writeFile(config, busConfig(dir));
  const daemon = execa('dbus-daemon', [`--config-file=${config}`, '--nofork', '--nopidfile', '--print-address'], {
    stdin: 'ignore',
    stderr: 'pipe',
    reject: false,
  });
  const address = await firstLine(daemon, 'dbus-daemon', 10_000);
  return {
    address,
    dir,
    async close() {
      await stop(daemon);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function startNotificationServer(address: string, outFile: string): Promise<NotificationServer> {
  await writeFile(outFile, '');
  const server = execa(SYSTEM_PYTHON, [SERVER_SCRIPT, address, outFile], {
    stdin: 'ignore',
    stderr: 'pipe',
    reject: false,
  });
  const ready = await firstLine(server, 'notification-server.py', 15_000);
  if (ready !== 'ready') throw new Error(`notification-server.py said ${JSON.stringify(ready)} instead of ready`);

  const received = async (): Promise<ReceivedNotification[]> => {
    const text = await readFile(outFile, 'utf8');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ReceivedNotification);
  };

  return {
    received,
    async waitForCount(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await received();
        if (all.length >= count) return all;
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} notification(s) within ${timeoutMs}ms, got ${all.length}: ${JSON.stringify(all)}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => stop(server),
  };
}

/** A bus with a recording server on it; `close()` stops both. */
export async function startDesktopBus(): Promise<DbusSession & { server: NotificationServer; file: string }> {
  const bus = await startDbusSession();
  const file = join(bus.dir, 'notifications.jsonl');
  try {
    const server = await startNotificationServer(bus.address, file);
    return {
      ...bus,
      server,
      file,
      async close() {
        await server.close();
        await bus.close();
      },
    };
  } catch (err) {
    await bus.close();
    throw err;
  }
}
