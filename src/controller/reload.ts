// Configuration edits reach a running controller: on a change of the files it read (watched), on
// SIGHUP, or on `panecrew controller reload`. What can change live is applied at once — limits and
// timeouts, notifications, agents and categories, layout options for new panes, socket limits (for
// new connections and the next deadline check) — and what cannot
// (tmux.enabled) is named as needing a restart. A file that does not validate changes nothing.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { xdgConfigHome } from '../core/paths.js';
import type { Catalog } from './resolve.js';

/** Editors write a file in several steps: wait for the last before reading it. */
const SETTLE_MS = 150;

export interface ReloadResult {
  at: number;
  why: string;
  /** Sections applied to the running controller. */
  applied: string[];
  /** Options that changed but take effect only after `panecrew controller stop` and a new start. */
  restart: string[];
  /** Why the files were refused (nothing was applied). */
  error?: string;
}

export interface ReloaderDeps {
  load(): LoadedConfig;
  buildCatalog(config: Config): Catalog;
  /** The live objects: sections are replaced in place, so every part holding them sees the change. */
  config: Config;
  catalog: Catalog;
  setNotification(options: Config['notification']): void;
  setSocket(options: Config['socket']): void;
  applied(): void;
  log(message: string): void;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Makes `target` hold what `source` holds, keeping its identity (parts hold a reference to it). */
function replaceContents(target: object, source: object): void {
  for (const key of Object.keys(target)) if (!Object.hasOwn(source, key)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, source);
}

export class ConfigReloader {
  last: ReloadResult | null = null;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ReloaderDeps) {}

  reload(why: string): ReloadResult {
    const { config, catalog } = this.deps;
    const result: ReloadResult = { at: Date.now(), why, applied: [], restart: [] };
    try {
      const next = this.deps.load().config;
      const nextCatalog = this.deps.buildCatalog(next);
      if (next.tmux.enabled !== config.tmux.enabled) result.restart.push(`tmux.enabled (${config.tmux.enabled} → ${next.tmux.enabled})`);
      const tmux = { ...next.tmux, enabled: config.tmux.enabled };
      const apply = (name: string, from: object, to: object, after?: () => void) => {
        if (same(from, to)) return;
        replaceContents(from, to);
        after?.();
        result.applied.push(name);
      };
      apply('background_task', config.background_task, next.background_task);
      apply('tmux (new panes and the next layout)', config.tmux, tmux);
      apply('notification', config.notification, next.notification, () => this.deps.setNotification(config.notification));
      apply('socket (new connections and the next sweep)', config.socket, next.socket, () => this.deps.setSocket(config.socket));
      for (const key of ['defaults', 'agents', 'categories', 'subagents'] as const) apply(key, config[key], next[key]);
      replaceContents(catalog, nextCatalog);
    } catch (err) {
      result.error = (err as Error).message;
    }
    this.last = result;
    this.deps.log(
      result.error
        ? `config reload (${why}) refused, the running configuration stays: ${result.error}`
        : `config reload (${why}): ${result.applied.length ? `applied ${result.applied.join(', ')}` : 'nothing changed'}${result.restart.length ? `; needs a restart: ${result.restart.join(', ')}` : ''}`,
    );
    if (!result.error && result.applied.length) this.deps.applied();
    return result;
  }

  /** Watches the user config file and $PANECREW_CONFIG: a file that exists by its own path (chokidar
   *  follows an editor's rename over it), one that does not yet by its folder, to see it created.
   *  Not every folder: chokidar lists and lstats a watched folder on each change in it, and
   *  $PANECREW_CONFIG may sit in a project where agents write thousands of files. */
  watch(env: NodeJS.ProcessEnv): void {
    const files = [join(xdgConfigHome(env), 'panecrew', 'config.yaml'), ...(env.PANECREW_CONFIG ? [resolve(env.PANECREW_CONFIG)] : [])];
    const wanted = new Set(files);
    const targets = [...new Set(files.map((f) => (existsSync(f) ? f : dirname(f))))].filter((p) => existsSync(p));
    if (!targets.length) return;
    const names = new Set(files.map((f) => basename(f)));
    this.watcher = watch(targets, { ignoreInitial: true, depth: 0, ignored: (p) => !targets.includes(p) && !names.has(basename(p)) });
    const changed = (path: string) => {
      if (!wanted.has(path)) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(`${path} changed`), SETTLE_MS);
    };
    this.watcher.on('add', changed).on('change', changed).on('unlink', changed);
    this.watcher.on('error', (err) => this.deps.log(`watching the config files failed: ${(err as Error).message}; reload with: panecrew controller reload`));
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.watcher?.close();
  }
}
