// The dashboard process: controller events and keys change the state, the view turns it into a
// frame, the terminal paints it. Renders are coalesced to at most one per FRAME_MS.
import type { ListedTask } from '../controller/protocol.js';
import { isFinal } from '../core/task.js';
import { DetailLoader } from './detail.js';
import { Feed } from './feed.js';
import { handleKey, type Action } from './keys.js';
import { applyEvent, initialState, replaceTasks, reselect, selected, type DashboardState } from './state.js';
import { openTerminal, type Terminal } from './terminal.js';
import { revealPane } from './reveal.js';
import { renderView } from './view.js';

/** At most ~20 frames a second, however fast events come. */
const FRAME_MS = 50;
const MESSAGE_MS = 6_000;

export interface DashboardOptions {
  env: NodeJS.ProcessEnv;
  color: boolean;
  /** Quit after Enter focused a pane (for a tmux popup, which would otherwise cover it). */
  exitOnFocus?: boolean;
}

export function runDashboard(opts: DashboardOptions): Promise<number> {
  let state: DashboardState = initialState(opts.color);
  let messageAt = 0;
  let pageRows = 10;
  const term: Terminal = openTerminal({ color: opts.color });

  let timer: NodeJS.Timeout | null = null;
  let lastFrame = 0;
  term.setSource(() => {
    lastFrame = Date.now();
    const view = renderView(state, { ...term.size(), now: lastFrame });
    state.scroll = view.scroll;
    pageRows = view.pageRows;
    if (state.overlay.kind === 'output') {
      state.overlay.top = view.outputTop;
      if (state.overlay.scroll !== null) state.overlay.scroll = view.outputTop;
    }
    return view.frame;
  });
  const draw = (): void => {
    timer = null;
    term.render();
  };
  const schedule = (): void => {
    if (!timer) timer = setTimeout(draw, Math.max(0, lastFrame + FRAME_MS - Date.now()));
  };

  const feed = new Feed(opts.env, {
    connection(c) {
      const wasLost = state.connection.state !== 'connected';
      state = { ...state, connection: c };
      if (c.state === 'connected' && wasLost) detail.reload(selected(state));
      schedule();
    },
    tasks(list) {
      set(replaceTasks(state, list));
    },
    event(e) {
      if (e.event === 'output') detail.outputChanged(e.taskId);
      else {
        set(applyEvent(state, e));
        if (e.event === 'task') detail.taskChanged(e.task);
      }
    },
    stats(s) {
      state = { ...state, stats: s };
      schedule();
    },
    error(message) {
      say(message, true);
    },
  });
  const detail = new DetailLoader(feed, (d) => {
    state = { ...state, detail: d };
    schedule();
  });

  /** Every state change goes through here, so the detail pane follows the selection. */
  function set(next: DashboardState): void {
    state = next;
    detail.select(selected(state));
    schedule();
  }

  const say = (text: string, error = false): void => {
    messageAt = Date.now();
    set({ ...state, message: { text, error } });
  };

  return new Promise<number>((resolve) => {
    let done = false;
    const quit = (code = 0): void => {
      if (done) return;
      done = true;
      clearInterval(tick);
      if (timer) clearTimeout(timer);
      feed.stop();
      term.destroy();
      resolve(code);
    };

    const act = async (a: Action): Promise<void> => {
      if (a.kind === 'quit') return quit();
      try {
        if (a.kind === 'cancel') {
          // The confirmation names its task: it may no longer be selected, or even listed.
          if (!state.tasks.has(a.taskId)) return say(`${a.taskId} is gone (removed meanwhile): nothing to cancel`, true);
          const r = await feed.request({ op: 'cancel', taskIds: [a.taskId] });
          return say(r.length ? `cancelled ${a.taskId}` : `${a.taskId} had already ended`);
        }
        const t = selected(state);
        if (!t) return;
        if (a.kind === 'focus') {
          const r = await feed.request({ op: 'focus', taskId: t.id });
          say(await revealPane(opts.env, r));
          if (opts.exitOnFocus) quit();
        } else if (a.kind === 'relaunch') {
          if (!isFinal(t.state)) return say(`${t.id} is still ${t.state}: cancel it first (c)`, true);
          const r = await feed.request({ op: 'relaunch', taskId: t.id });
          set(reselect({ ...applyEvent(state, { event: 'task', task: r }), selectedId: r.id }));
          say(`relaunched ${t.id} as ${r.id}`);
        }
      } catch (err) {
        say((err as Error).message, true);
      }
    };

    term.onKey((ch, key) => {
      const r = handleKey(state, ch, key, pageRows);
      if (r.state !== state) set(r.state);
      if (r.action) void act(r.action);
    });
    term.onResize(() => schedule());
    // Elapsed times and the reconnect countdown move with the clock; nothing else needs a timer.
    const tick = setInterval(() => {
      if (state.message && Date.now() - messageAt > MESSAGE_MS) state = { ...state, message: null };
      schedule();
    }, 1000);

    // A crash must give the terminal back (raw mode off, main screen, cursor) before saying why.
    process.once('uncaughtException', (err) => {
      quit(70);
      process.stderr.write(`panecrew dashboard: ${err.stack ?? err.message}\n`);
      process.exit(70);
    });
    process.once('SIGTERM', () => quit());
    process.once('SIGHUP', () => quit());
    schedule();
    void feed.start();
  });
}
