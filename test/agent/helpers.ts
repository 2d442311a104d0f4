import fs from 'node:fs';
import { until as untilShared } from '../support/until.js';
import os from 'node:os';
import path from 'node:path';
import type { AgentEvent } from '../../src/agent/events.js';

export function tempDir(prefix = 'panecrew-agent-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** A stdout stand-in that keeps what the agent printed. */
export function captureSink(): { write(chunk: string): boolean; text(): string; isTTY: false } {
  let out = '';
  return {
    write(chunk: string) {
      out += chunk;
      return true;
    },
    text: () => out,
    isTTY: false,
  };
}

export function readEvents(file: string): AgentEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AgentEvent);
}

/** The shared `until` with the question first. */
export function until<T>(what: string, check: () => T | undefined | false | null, timeoutMs = 10_000): Promise<NonNullable<T>> {
  return untilShared(check, what, timeoutMs);
}

/** The env an in-process or child agent gets: a dummy key and the mock server's URL, nothing inherited. */
export function agentEnv(url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ANTHROPIC_API_KEY: 'sk-ant-test-dummy', ANTHROPIC_BASE_URL: url, NO_COLOR: '1', ...extra };
}
