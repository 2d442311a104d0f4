// What `panecrew launch` reads of the configuration comes from a cache while no file it depends on
// changed (config/launch-config.ts): real files in a temp dir, each kind of change made for real, and
// every answer compared with a full loadConfig of the same moment.
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLaunchConfig, RACY_MS } from '../../src/config/launch-config.js';
import { loadConfig } from '../../src/config/load.js';
import { sha256, trustProject } from '../../src/config/trust.js';
import { until } from '../support/until.js';

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

/** Writes a file and waits until it is older than RACY_MS (an entry is written only then). */
async function write(file: string, text: string): Promise<void> {
  writeFileSync(file, text);
  const at = Date.now();
  await until(() => Date.now() - at > RACY_MS, `${file} to be older than ${RACY_MS} ms`);
}

const entries = (): string[] => {
  const folder = join(dir, 'cache', 'panecrew', 'launch');
  return existsSync(folder) ? readdirSync(folder) : [];
};

const cacheFile = (): string => {
  const files = readdirSync(join(dir, 'cache', 'panecrew', 'launch'));
  expect(files).toHaveLength(1);
  return join(dir, 'cache', 'panecrew', 'launch', files[0]!);
};

describe('the launch config cache', () => {
  it('serves a full load once warm, and misses on every change a full load would see', async () => {
    expect(await load()).toMatchObject({ priority: 5, cached: false });
    expect(await load()).toMatchObject({ priority: 5, cached: true });

    await write(join(dir, 'xdg', 'panecrew', 'config.yaml'), 'defaults:\n  priority: 7\n');
    expect(await load()).toMatchObject({ priority: 7, cached: false });
    expect(await load()).toMatchObject({ priority: 7, cached: true });

    // A project file above the cwd, untrusted: its priority applies, its agent is ignored with a warning.
    const project = join(dir, 'project', '.panecrew.yaml');
    const text = 'defaults:\n  priority: 3\n  agent: shell\n';
    await write(project, text);
    const untrusted = await load();
    expect(untrusted).toMatchObject({ priority: 3, agent: 'auto', cached: false });
    expect(untrusted.warnings.join('\n')).toContain('panecrew trust');
    expect(await load()).toMatchObject({ priority: 3, cached: true });

    trustProject(env, project, sha256(text));
    await write(join(dir, 'unrelated'), 'the trust store is older than RACY_MS now');
    expect(await load()).toMatchObject({ agent: 'shell', warnings: [], cached: false });
    expect(await load()).toMatchObject({ agent: 'shell', cached: true });

    // PANECREW_CONFIG, relative to the cwd, over the rest.
    await write(join(cwd, 'extra.yaml'), 'defaults:\n  priority: 9\n');
    env.PANECREW_CONFIG = 'extra.yaml';
    expect(await load()).toMatchObject({ priority: 9, cached: false });
    expect(await load()).toMatchObject({ priority: 9, cached: true });
    await write(join(cwd, 'extra.yaml'), 'defaults:\n  priority: 8\n'); // the same size
    expect(await load()).toMatchObject({ priority: 8, cached: false });
    delete env.PANECREW_CONFIG;

    rmSync(project);
    expect(await load()).toMatchObject({ priority: 7, agent: 'auto', cached: false });
    expect(await load()).toMatchObject({ priority: 7, cached: true });
  });

  it('writes no entry while a file it depends on changed within RACY_MS, as a same-size edit in the same clock tick would keep its stamp', async () => {
    writeFileSync(join(dir, 'xdg', 'panecrew', 'config.yaml'), 'defaults:\n  priority: 7\n');
    expect(await load()).toMatchObject({ priority: 7, cached: false });
    expect(entries()).toEqual([]);
    await write(join(dir, 'unrelated'), 'the config file is older than RACY_MS now');
    expect(await load()).toMatchObject({ priority: 7, cached: false });
    expect(await load()).toMatchObject({ priority: 7, cached: true });
  });

  it('misses when a symlink on the cwd path moves to the same project file (a hard link) in a folder trusted differently', async () => {
    const text = 'defaults:\n  agent: shell\n';
    const [trusted, other] = [join(dir, 'trusted'), join(dir, 'other')];
    mkdirSync(join(trusted, 'src'), { recursive: true });
    mkdirSync(join(other, 'src'), { recursive: true });
    writeFileSync(join(trusted, '.panecrew.yaml'), text);
    linkSync(join(trusted, '.panecrew.yaml'), join(other, '.panecrew.yaml'));
    trustProject(env, join(trusted, '.panecrew.yaml'), sha256(text));
    symlinkSync(trusted, join(dir, 'link'));
    cwd = join(dir, 'link', 'src');
    await write(join(dir, 'unrelated'), 'the files are older than RACY_MS now');
    expect(await load()).toMatchObject({ agent: 'shell', cached: false });
    expect(await load()).toMatchObject({ agent: 'shell', cached: true });

    rmSync(join(dir, 'link'));
    symlinkSync(other, join(dir, 'link'));
    expect(await load()).toMatchObject({ agent: 'auto', cached: false });
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
    await write(join(dir, 'xdg', 'panecrew', 'config.yaml'), 'defaults:\n  priority: 11\n');
    await expect(loadLaunchConfig(cwd, env)).rejects.toThrow(/defaults\.priority/);
    expect(() => readdirSync(join(dir, 'cache', 'panecrew', 'launch'))).toThrow();
  });

  it('a file that cannot be stamped (a path through a file) fails as a full load does', async () => {
    writeFileSync(join(cwd, 'extra.yaml'), 'defaults:\n  priority: 9\n');
    env.PANECREW_CONFIG = 'extra.yaml/more.yaml';
    await expect(loadLaunchConfig(cwd, env)).rejects.toThrow(/extra\.yaml\/more\.yaml: cannot read the config file \(ENOTDIR\)/);
  });
});
