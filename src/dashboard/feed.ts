// The dashboard's link to the controller: subscribe, then list; stats re-read after task events
// (one refresh in flight, one more queued at most, at most four a second); and when the controller goes away, reconnect
// with backoff. A new connection never starts a controller: the first one may, like every verb.
// Any other error is shown, not retried: a controller that refuses or garbles a request would
// refuse it again.
// Task events carry everything the table shows, wait reasons included: the controller sends one whenever
// a pending task's wait reason changes, so the task list is read only on (re)connecting.
import { ClientError, ControllerClient } from '../controller/client.js';
import type { ListedTask, Op, RequestFor, Results, ServerEvent, Stats } from '../controller/protocol.js';
import type { Connection } from './state.js';

export interface FeedHandlers {
  connection(c: Connection): void;
  /**
   * The whole task list, after every (re)connect. The controller computes a reply right before writing
   * it, so every event received before the list is already in it: the list replaces what was there.
   */
  tasks(list: ListedTask[]): void;
  event(e: ServerEvent): void;
  stats(s: Stats): void;
  /** A request failed for a reason other than the controller going away: show it. */
  error(message: string): void;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000];
/** Stats are re-read at most this often while events flow. */
const REFRESH_MS = 250;

/** Runs `fn` at most once at a time; calls made meanwhile fold into one more run after it. */
export function coalesced(fn: () => Promise<void>, onError: (err: unknown) => void): () => void {
  let busy = false;
  let again = false;
  const run = (): void => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    again = false;
    fn()
      .catch(onError)
      .finally(() => {
        busy = false;
        if (again) run();
      });
  };
  return run;
}

export class Feed {
  private client: ControllerClient | null = null;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  private lastRefresh = 0;

  /** After task events: the stats (per-key counts, the gate), which no event carries. */
  readonly refresh = coalesced(async () => {
    const wait = this.lastRefresh + REFRESH_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.lastRefresh = Date.now();
    const client = this.client;
    if (!client) return;
    const stats = await client.request({ op: 'stats' });
    if (client === this.client) this.handlers.stats(stats);
  }, (err) => this.report(err));

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly handlers: FeedHandlers,
  ) {}

  get connected(): boolean {
    return this.client !== null;
  }

  async start(): Promise<void> {
    await this.connect(true);
  }

  request<O extends Op>(req: RequestFor<O>): Promise<Results[O]> {
    if (!this.client) return Promise.reject(new ClientError('unavailable', 'not connected to the controller'));
    return this.client.request(req);
  }

  /** A failed request, for the user; one that failed because the controller went away is shown by the reconnect. */
  report(err: unknown): void {
    if (this.stopped || wentAway(err)) return;
    this.handlers.error(err instanceof Error ? err.message : String(err));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.client?.close();
    this.client = null;
  }

  private async connect(autostart: boolean): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    this.handlers.connection({ state: 'connecting' });
    let client: ControllerClient;
    try {
      client = await ControllerClient.connect({ env: this.env, autostart });
    } catch (err) {
      return this.retry(err);
    }
    if (this.stopped) return client.close();
    let live = true;
    client.onClose((reason) => {
      if (!live) return;
      live = false;
      if (this.client === client) this.client = null;
      this.retry(reason);
    });
    // Quit while connecting: close this connection too, or its socket keeps the process alive.
    const abandoned = (): boolean => {
      if (!this.stopped) return false;
      live = false;
      client.close();
      return true;
    };
    try {
      // Subscribe before listing: an event that races the list is either in the list or comes after it.
      const sub = await client.subscribe((e) => {
        if (this.stopped) return;
        this.handlers.event(e);
        if (e.event !== 'output') this.refresh();
      });
      if (abandoned()) return;
      const list = await client.request({ op: 'list' });
      if (abandoned()) return;
      this.client = client;
      this.attempt = 0;
      this.handlers.connection({ state: 'connected' });
      this.handlers.tasks(list);
      this.handlers.stats(sub.stats);
      // Events that came while listing could not refresh the stats yet.
      this.refresh();
    } catch (err) {
      live = false;
      client.close();
      this.retry(err);
    }
  }

  private retry(err: unknown): void {
    if (this.stopped || this.timer) return;
    if (!wentAway(err)) {
      this.handlers.connection({ state: 'failed', error: err instanceof Error ? err.message : String(err) });
      return;
    }
    const delay = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)]!;
    this.handlers.connection({ state: 'lost', error: 'no controller answers', retryAt: Date.now() + delay });
    this.timer = setTimeout(() => void this.connect(false), delay);
  }
}

/** Only this means the controller went away (a refused connection, a closed socket): worth reconnecting. */
function wentAway(err: unknown): boolean {
  return err instanceof ClientError && err.code === 'unavailable';
}
