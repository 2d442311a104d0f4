// What `panecrew launch` reads of the configuration comes from a cache while no file it depends on
// changed (config/launch-config.ts): real files in a temp dir, each kind of change made for real, and
// every answer compared with a full loadConfig of the same moment.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLaunchConfig } from '../../src/config/launch-config.js';
import { loadConfig } from '../../src/config/load.js';
import { sha256, trustProject } from '../../src/config/trust.js';

let dir: string;
let env: NodeJS.ProcessEnv;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-launch-config-'));
  env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_CACHE_HOME: join(dir, 'cache') };
  cwd = join(dir, 'project', 'src');
  mkdirSync(cwd, { recursive: true });
  mkdirSync(join(dir, 'xdg', 'panecrew'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The launch config now, checked against a full load; `cached` says where it came from. */
async function load(): Promise<{ priority: number; agent: string; warnings: string[]; cached: boolean }> {
  const got = await loadLaunchConfig(cwd, env);
  const full = loadConfig({ cwd, env });
  expect(got.config).toEqual({ defaults: full.config.defaults, categories: full.config.categories, subagents: full.config.subagents, worktree: full.config.worktree });
  expect(got.warnings).toEqual(full.warnings);
  return { priority: got.config.defaults.priority, agent: got.config.defaults.agent, warnings: got.warnings, cached: got.cached };
}

const cacheFile = (): string => {
  const files = readdirSync(join(dir, 'cache', 'panecrew', 'launch'));
  expect(files).toHaveLength(1);
  return join(dir, 'cache', 'panecrew', 'launch', files[0]!);
};

describe('the launch config cache', () => {
  it('serves a full load once warm, and misses on every change a full load would see', async () => {
    expect(await load()).toMatchObject({ priority: 5, cached: false });
    expect(await load()).toMatchObject({ priority: 5, cached: true });

    writeFileSync(join(dir, 'xdg', 'panecrew', 'config.yaml'), 'defaults:\n  priority: 7\n');
    expect(await load()).toMatchObject({ priority: 7, cached: false });
    expect(await load()).toMatchObject({ priority: 7, cached: true });

    // A project file above the cwd, untrusted: its priority applies, its agent is ignored with a warning.
    const project = join(dir, 'project', '.panecrew.yaml');
    const text = 'defaults:\n  priority: 3\n  agent: shell\n';
    writeFileSync(project, text);
    const untrusted = await load();
    expect(untrusted).toMatchObject({ priority: 3, agent: 'auto', cached: false });
    expect(untrusted.warnings.join('\n')).toContain('panecrew trust');
    expect(await load()).toMatchObject({ priority: 3, cached: true });

    trustProject(env, project, sha256(text));
    expect(await load()).toMatchObject({ agent: 'shell', warnings: [], cached: false });

    // PANECREW_CONFIG, relative to the cwd, over the rest.
    writeFileSync(join(cwd, 'extra.yaml'), 'defaults:\n  priority: 9\n');
    env.PANECREW_CONFIG = 'extra.yaml';
    expect(await load()).toMatchObject({ priority: 9, cached: false });
    writeFileSync(join(cwd, 'extra.yaml'), 'defaults:\n  priority: 8\n'); // the same size
    expect(await load()).toMatchObject({ priority: 8, cached: false });
    delete env.PANECREW_CONFIG;

    rmSync(project);
    expect(await load()).toMatchObject({ priority: 7, agent: 'auto', cached: false });
    expect(await load()).toMatchObject({ priority: 7, cached: true });
  });

  it('ignores an entry that is damaged or writable by others, and writes it anew', async () => {
    await load();
    const file = cacheFile();
    writeFileSync(file, '{"v":1,"key":');
    expect(await load()).toMatchObject({ priority: 5, cached: false });
    expect(await load()).toMatchObject({ cached: true });

    // Another user's choice of agent must not reach a launch through the cache.
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { config: { defaults: { agent: string } } };
    entry.config.defaults.agent = 'planted';
    writeFileSync(file, JSON.stringify(entry));
    chmodSync(file, 0o666);
    expect(await load()).toMatchObject({ agent: 'auto', cached: false });
    expect(await load()).toMatchObject({ agent: 'auto', cached: true });
  });

  it('a config that does not validate fails as a full load does, and leaves no entry', async () => {
    writeFileSync(join(dir, 'xdg', 'panecrew', 'config.yaml'), 'defaults:\n  priority: 11\n');
    await expect(loadLaunchConfig(cwd, env)).rejects.toThrow(/defaults\.priority/);
    expect(() => readdirSync(join(dir, 'cache', 'panecrew', 'launch'))).toThrow();
  });
});
