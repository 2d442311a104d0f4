// `panecrew controller run`: composes the parts and serves until stopped. Agents outlive it.
import './heap-flags.js'; // first: before any other module allocates (see the file)
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { Journal } from '../core/journal.js';
import { homePaths, panecrewHome } from '../core/paths.js';
import { checkHome, UnsafeFolderError } from '../core/private-dir.js';
import { isActive, viewOf } from '../core/task.js';
import { recordProblem, upgradeRecord } from '../core/upgrade.js';
import { LocalExecutor } from '../executor/local.js';
import { AUTO_AGENT } from '../runner/auto-agent.js';
import { checkCategoryAgents, resolveCategories, resolveSubagents } from '../runner/categories.js';
import { ProfileConfigError, resolveProfiles } from '../runner/profiles.js';
import { createSurfaces } from '../surface/pane.js';
import { Deliveries } from './deliveries.js';
import { Engine } from './engine.js';
import { createHandlers } from './handlers.js';
import { acquireInstanceLock, type InstanceLock } from './instance.js';
import { ConfigReloader } from './reload.js';
import { SocketServer } from './server.js';
import { socketLimits, type SocketLimits } from './socket-limits.js';
import { TaskStore } from './store.js';
import { keepPlanArtifacts } from './plan-artifacts.js';
import { notifyPlanPhases } from './plan-phases.js';
import { Notifier, originKeyOf } from '../notify/index.js';
import type { Catalog } from './resolve.js';
import { recordChangeSummaries } from './change-summary.js';

export interface ControllerOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  sets?: string[];
}

/** Every agent, category and subagent type; a category naming an unknown agent is refused here. */
export function buildCatalog(config: LoadedConfig['config']): Catalog {
  const profiles = resolveProfiles(config.agents);
  const categories = resolveCategories(config.categories);
  const subagents = resolveSubagents(config.subagents);
  const names = Object.keys(profiles);
  const issues = [...checkCategoryAgents('categories', categories, names), ...checkCategoryAgents('subagents', subagents, names)];
  if (config.defaults.agent !== AUTO_AGENT && !Object.hasOwn(profiles, config.defaults.agent)) issues.push(`defaults.agent: unknown agent "${config.defaults.agent}" (known: ${names.join(', ')})`);
  if (issues.length) throw new ProfileConfigError(issues);
  const stale = config.background_task.staleTimeoutMs;
  return { profiles, categories, subagents, defaultAgent: config.defaults.agent, staleTimeoutMs: stale > 0 ? stale : null };
}

export async function runController({ env, cwd, sets = [] }: ControllerOptions): Promise<void> {
  const paths = homePaths(panecrewHome(env));
  try {
    checkHome(paths);
  } catch (err) {
    if (!(err instanceof UnsafeFolderError)) throw err;
    process.stderr.write(`panecrew: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  const log = (message: string) => appendFileSync(paths.log, `${new Date().toISOString()} ${message}\n`);
  // A bug in one task's handling must not take the controller (and everyone's queue) down.
  process.on('unhandledRejection', (err) => log(`unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
  let loaded: LoadedConfig;
  let catalog: Catalog;
  let limits: SocketLimits;
  try {
    loaded = loadConfig({ cwd, env, sets });
    catalog = buildCatalog(loaded.config);
    limits = socketLimits(loaded.config.socket, env);
  } catch (err) {
    process.stderr.write(`panecrew: invalid configuration, the controller did not start:\n${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const { config, warnings } = loaded;
  for (const w of warnings) log(`config warning: ${w}`);

  let lock: InstanceLock;
  try {
    lock = await acquireInstanceLock(paths);
  } catch (err) {
    process.stderr.write(`panecrew: ${(err as Error).message}\n`);
    process.exitCode = 3;
    return;
  }

  const journal = new Journal(paths.journal, paths.snapshot);
  const replayed = journal.replay();
  const journalProblems = [...replayed.problems];
  for (const [id, task] of replayed.tasks) {
    const problem = recordProblem(task);
    if (problem) {
      replayed.tasks.delete(id);
      journalProblems.push(`task ${id} was set aside: its record is incomplete (${problem})`);
    } else replayed.tasks.set(id, upgradeRecord(task));
  }
  for (const p of journalProblems) log(`journal: ${p}`);
  const store = new TaskStore(journal, replayed.tasks, log);
  recordChangeSummaries(store, log);
  const surfaces = createSurfaces(config, env, paths.tasks, log);
  let server: SocketServer | undefined;
  const engine = new Engine({
    config,
    paths,
    store,
    catalog,
    executor: new LocalExecutor(paths.tasks, log),
    surfaces,
    onOutput: (taskId) => server?.broadcast({ event: 'output', taskId }),
    onWaitChange: (task) => server?.broadcast({ event: 'task', task: engine.listed(task) }),
    log,
  });

  const activeCount = (origin: string) =>
    [...store.tasks.values()].filter((t) => (isActive(t.state) || t.state === 'pending') && originKeyOf(t) === origin).length;
  let notifier = new Notifier(config.notification, { log, activeCountFor: activeCount });
  const reloader = new ConfigReloader({
    load: () => loadConfig({ cwd, env, sets }),
    buildCatalog,
    config,
    catalog,
    setNotification: (options) => {
      void notifier.close();
      notifier = new Notifier(options, { log, activeCountFor: activeCount });
    },
    // The environment's overrides were valid at start and still hold.
    setSocket: (options) => server?.setLimits(socketLimits(options, env)),
    applied: () => engine.schedule(),
    log,
  });

  server = new SocketServer(
    createHandlers({
      config,
      paths,
      store,
      engine,
      surfaces,
      startedAt: Date.now(),
      notifier: () => notifier,
      reloader,
      journal: { problems: journalProblems, quarantineFile: replayed.quarantined ? replayed.quarantineFile : null },
      deliveries: new Deliveries(join(paths.home, 'deliveries.jsonl'), (id) => store.get(id) !== undefined),
      shutdown: () => void stop(),
    }),
    () => store.synced(),
    limits,
  );
  store.on('change', (task, previous) => {
    const listed = engine.listed(task);
    server?.broadcast({ event: 'task', task: listed });
    notifier.onTaskChange(listed, previous && viewOf(previous));
  });
  store.on('removed', (ids) => server?.broadcast({ event: 'removed', ids }));
  keepPlanArtifacts(store, paths.tasks, log);
  notifyPlanPhases(store, () => notifier);

  let stopping = false;
  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    log('controller stopping; running agents keep running and are re-adopted on the next start');
    await server?.close(paths.socket);
    await reloader.close();
    await engine.close();
    await notifier.close();
    try {
      journal.close();
    } catch (err) {
      log(`closing the journal failed: ${(err as Error).message}`);
    }
    lock.release();
  }
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGHUP', () => reloader.reload('SIGHUP'));
  reloader.watch(env);

  await server.listen(paths.socket);
  engine.recover();
  log(`controller ${process.pid} serving ${paths.socket} (${store.tasks.size} tasks in the journal)`);
  // Tell a CLI waiting for start-up that the socket is ready.
  process.send?.('ready');
}
