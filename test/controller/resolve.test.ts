// Launch resolution, without a controller: names, the `auto` default, and agents that cannot run.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/controller/main.js';
import { LaunchSpecSchema } from '../../src/controller/protocol.js';
import { resolveLaunch } from '../../src/controller/resolve.js';
import { ConfigSchema } from '../../src/config/schema.js';

/** A PATH holding fake executables with the given names (and the system's bash). */
function pathWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-path-'));
  mkdirSync(dir, { recursive: true });
  for (const n of names) writeFileSync(join(dir, n), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return `${dir}:/usr/bin:/bin`;
}

const catalog = buildCatalog(ConfigSchema.parse({}));
const spec = (over: Record<string, unknown>) => LaunchSpecSchema.parse({ prompt: 'map the auth code', cwd: '/', env: { PATH: pathWith() }, ...over });

describe('launch resolution', () => {
  it('looks names up as own keys: prototype names are unknown, with the known ones listed', () => {
    expect(() => resolveLaunch(spec({ subagentType: 'toString' }), catalog)).toThrow(/unknown subagent type "toString"/);
    expect(() => resolveLaunch(spec({ category: 'constructor' }), catalog)).toThrow(/unknown category "constructor"/);
    expect(() => resolveLaunch(spec({ agent: 'constructor' }), catalog)).toThrow(/unknown agent "constructor"/);
    expect(() => resolveLaunch(spec({ agent: '__proto__' }), catalog)).toThrow(/unknown agent "__proto__"/);
  });

  it('auto runs a command line as a shell command', () => {
    const env = { PATH: pathWith('npm') };
    expect(resolveLaunch(spec({ prompt: 'npm test', env }), catalog).agent).toBe('shell');
    expect(resolveLaunch(spec({ prompt: 'ls -la | wc -l', env }), catalog).agent).toBe('shell');
    expect(resolveLaunch(spec({ prompt: 'find . -name "*.ts"', env }), catalog).agent).toBe('shell');
  });

  it('auto sends words to the first agent that can run here, and refuses with the fix when none can', () => {
    expect(resolveLaunch(spec({ prompt: 'find the bug in the login flow', env: { PATH: pathWith('claude') } }), catalog).agent).toBe('claude');
    expect(resolveLaunch(spec({ env: { PATH: pathWith(), ANTHROPIC_API_KEY: 'k' } }), catalog).agent).toBe('builtin');
    expect(() => resolveLaunch(spec({ env: { PATH: pathWith() } }), catalog)).toThrow(/no agent can run this prompt.*claude: install it \(npm install -g @anthropic-ai\/claude-code\).*builtin: set ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN.*--agent shell/);
  });

  it('refuses an agent whose CLI is not installed, or whose API key is missing, naming the fix', () => {
    expect(() => resolveLaunch(spec({ agent: 'codex' }), catalog)).toThrow(/agent "codex" cannot run: "codex" is not on the launching shell's PATH; install it \(npm install -g @openai\/codex\)/);
    expect(() => resolveLaunch(spec({ agent: 'builtin' }), catalog)).toThrow(/set ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN/);
    expect(resolveLaunch(spec({ agent: 'codex', env: { PATH: pathWith('codex') } }), catalog).agent).toBe('codex');
  });

  it('takes the stale timeout from the task, else its profile, else the configuration', () => {
    const env = { PATH: pathWith('claude') };
    expect(resolveLaunch(spec({ agent: 'shell', prompt: 'sleep 200' }), catalog).staleTimeoutMs).toBeNull();
    expect(resolveLaunch(spec({ agent: 'claude', env }), catalog).staleTimeoutMs).toBe(180_000);
    expect(resolveLaunch(spec({ agent: 'shell', prompt: 'x', staleTimeoutMs: 5_000 }), catalog).staleTimeoutMs).toBe(5_000);
    expect(resolveLaunch(spec({ agent: 'claude', env, staleTimeoutMs: null }), catalog).staleTimeoutMs).toBeNull();
  });

  it('a category naming an unknown agent is refused when the controller starts', () => {
    expect(() => buildCatalog(ConfigSchema.parse({ categories: { fast: { agent: 'claud' } } }))).toThrow(/categories\.fast\.agent: unknown agent "claud" — did you mean "claude"\?/);
    expect(() => buildCatalog(ConfigSchema.parse({ defaults: { agent: 'nope' } }))).toThrow(/defaults\.agent: unknown agent "nope"/);
  });
});
