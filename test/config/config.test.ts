// Configuration: layers, durations, and errors that say file:line:column, the path, expected and found.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/duration.js';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { sha256, trustProject } from '../../src/config/trust.js';
import { CLI } from '../support/controller.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-config-'));
  env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('durations', () => {
  it('read ms, s, m, h, d and plain numbers', () => {
    expect([parseDuration('500ms'), parseDuration('30s'), parseDuration('5m'), parseDuration('2h'), parseDuration('1d'), parseDuration(250), parseDuration('1.5s')]).toEqual([
      500, 30_000, 300_000, 7_200_000, 86_400_000, 250, 1500,
    ]);
    expect(parseDuration('5 minutes')).toBeNull();
    expect(parseDuration(-1)).toBeNull();
  });
});

describe('layers', () => {
  it('built-in < user < project < PANECREW_CONFIG < --set, each value with its source', () => {
    write('xdg/panecrew/config.yaml', 'background_task:\n  defaultConcurrency: 2\n  maxConcurrentTasks: 9\n');
    const project = 'background_task:\n  defaultConcurrency: 3\n';
    // A trusted project: an untrusted one may not set limits (test/config/trust.test.ts).
    trustProject(env, write('proj/.panecrew.yaml', project), sha256(project));
    mkdirSync(join(dir, 'proj/sub'), { recursive: true });
    const extra = write('extra.yaml', 'background_task:\n  staleTimeoutMs: 5m\n');
    const loaded = loadConfig({ cwd: join(dir, 'proj/sub'), env: { ...env, PANECREW_CONFIG: extra }, sets: ['tmux.layout=tiled'] });
    expect(loaded.config.background_task.defaultConcurrency).toBe(3);
    expect(loaded.config.background_task.maxConcurrentTasks).toBe(9);
    expect(loaded.config.background_task.staleTimeoutMs).toBe(300_000);
    expect(loaded.config.tmux.layout).toBe('tiled');
    expect(loaded.sources.get('background_task.defaultConcurrency')).toContain('project');
    expect(loaded.sources.get('background_task.maxConcurrentTasks')).toContain('user');
    expect(loaded.sources.get('tmux.layout')).toBe('flags');
    expect(loaded.config.background_task.killGraceMs).toBe(5000);
  });

  it('warns about a stale timeout under a minute but accepts it', () => {
    const f = write('c.yaml', 'background_task:\n  staleTimeoutMs: 30s\n');
    const loaded = loadConfig({ cwd: dir, env: { ...env, PANECREW_CONFIG: f } });
    expect(loaded.config.background_task.staleTimeoutMs).toBe(30_000);
    expect(loaded.warnings[0]).toContain('staleTimeoutMs');
  });
});

describe('errors', () => {
  it('an unknown key names file:line:column and suggests the right one', () => {
    const f = write('c.yaml', 'background_task:\n  defaultConcurrency: 2\n  staleTimeout: 5m\n');
    expect(problems(() => loadConfig({ cwd: dir, env: { ...env, PANECREW_CONFIG: f } }))).toEqual([
      `${f}:3:3: unknown option background_task.staleTimeout (did you mean background_task.staleTimeoutMs?)`,
    ]);
  });

  it('a wrong type says what was expected and what was found, where', () => {
    const f = write('c.yaml', 'tmux:\n  main_pane_size: 95\nbackground_task:\n  stabilityMs: soon\n');
    const found = problems(() => loadConfig({ cwd: dir, env: { ...env, PANECREW_CONFIG: f } }));
    expect(found).toContainEqual(expect.stringMatching(new RegExp(`^${f}:2:19: tmux.main_pane_size: .*80.*; found number 95$`)));
    expect(found).toContainEqual(expect.stringMatching(new RegExp(`^${f}:4:16: background_task.stabilityMs: expected a duration.*found "soon"$`)));
  });

  it('invalid YAML is refused with its position', () => {
    const f = write('c.yaml', 'tmux:\n  layout: [unclosed\n');
    const r = () => loadConfig({ cwd: dir, env: { ...env, PANECREW_CONFIG: f } });
    expect(r).toThrow(new RegExp(`${f}:\\d+:\\d+: a \\[ or \\{ is not closed`));
  });

  it('a wrong type says "found" once', () => {
    const f = write('c.yaml', 'background_task:\n  defaultConcurrency: many\n  staleTimeoutMs: soon\n');
    const found = problems(() => loadConfig({ cwd: dir, env: { ...env, PANECREW_CONFIG: f } }));
    expect(found).toEqual([
      `${f}:2:23: background_task.defaultConcurrency: expected number; found string "many"`,
      `${f}:3:19: background_task.staleTimeoutMs: expected a duration such as 500ms, 30s, 5m or a number of milliseconds, found "soon"`,
    ]);
  });

  it('a line indented too deep is named, with the indentation that fixes it', () => {
    const f = write('c.yaml', 'background_task:\n  defaultConcurrency: 3\n    staleTimeoutMs: 5m\n');
    expect(() => loadConfig({ cwd: dir, env: { ...env, PANECREW_CONFIG: f } })).toThrow(
      `${f}:3:5: this line is indented deeper than "defaultConcurrency:" on line 2, which already has a value; indent it 2 spaces to make it a sibling`,
    );
  });

  it('tabs, duplicate keys and misaligned keys each get one plain sentence', () => {
    const cases: Array<[string, string]> = [
      ['tmux:\n\tlayout: tiled\n', ':2:1: a tab indents this line'],
      ['defaults:\n  agent: shell\ndefaults:\n  priority: 3\n', ':3:1: this key is already set earlier'],
      ['tmux:\n  layout: tiled\n main_pane_size: 50\n', ': this line is not lined up with the keys'],
    ];
    for (const [text, says] of cases) {
      const f = write('c.yaml', text);
      expect(() => loadConfig({ cwd: dir, env: { ...env, PANECREW_CONFIG: f } }), text).toThrow(says);
    }
  });

  it('`config check` exits 2 with the problems and `config show --json` gives values with sources', async () => {
    const bad = write('bad.yaml', 'notification:\n  strategy: loud\n');
    const check = await execa('node', [CLI, 'config', 'check', bad], { reject: false, env });
    expect(check.exitCode).toBe(2);
    expect(check.stderr).toContain(`${bad}:2:13: notification.strategy`);
    const good = write('good.yaml', 'notification:\n  strategy: verbose\n');
    expect((await execa('node', [CLI, 'config', 'check', good], { reject: false, env })).exitCode).toBe(0);
    const show = await execa('node', [CLI, 'config', 'show', '--json'], { reject: false, env: { ...env, PANECREW_CONFIG: good } });
    const json = JSON.parse(show.stdout);
    expect(json.config.notification.strategy).toBe('verbose');
    expect(json.sources['notification.strategy']).toContain('PANECREW_CONFIG');
    expect(json.sources['tmux.layout']).toContain('built-in');
  });

  it('nothing starts on a bad config', async () => {
    const bad = write('bad.yaml', 'background_task:\n  defaultConcurency: 2\n');
    const r = await execa('node', [CLI, 'launch', '--prompt', 'x'], { reject: false, env: { ...env, PANECREW_HOME: join(dir, 'home'), PANECREW_CONFIG: bad } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('did you mean background_task.defaultConcurrency?');
  });
});
