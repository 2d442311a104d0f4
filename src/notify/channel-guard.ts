// Wraps a channel so that it never throws at the notifier, never waits past its time limit,
// logs an outage once, and remembers how it last went for `panecrew doctor`.
import type { Channel, ChannelHealth, ChannelReport, Notification } from './notification.js';

export class GuardedChannel {
  private lastOk: boolean | null = null;
  private lastDetail = '';
  private outageLogged = false;

  constructor(
    readonly channel: Channel,
    readonly enabled: boolean,
    private readonly log: (msg: string) => void,
  ) {}

  get name() {
    return this.channel.name;
  }

  /** Never rejects. */
  async deliver(n: Notification): Promise<ChannelReport> {
    const started = Date.now();
    const report = (outcome: ChannelReport['outcome'], detail: string): ChannelReport => ({
      channel: this.name,
      outcome,
      ok: outcome !== 'failed',
      detail,
      ms: Date.now() - started,
    });
    if (!this.enabled) return report('disabled', 'disabled in config');
    const skip = this.channel.skipReason?.(n) ?? null;
    if (skip) return report('skipped', skip);
    try {
      await withTimeout(this.channel.send(n), this.channel.timeoutMs, `${this.name} gave no answer within ${this.channel.timeoutMs}ms`);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      this.lastOk = false;
      this.lastDetail = detail;
      if (!this.outageLogged) {
        this.outageLogged = true;
        this.log(`notify: ${this.name} notifications are not getting through: ${detail} (logged once until it works again)`);
      }
      return report('failed', detail);
    }
    if (this.outageLogged) this.log(`notify: ${this.name} notifications work again`);
    this.outageLogged = false;
    this.lastOk = true;
    this.lastDetail = `last notification delivered at ${new Date().toISOString()}`;
    return report('sent', 'delivered');
  }

  health(): ChannelHealth {
    const base = { channel: this.name, enabled: this.enabled };
    if (!this.enabled) return { ...base, ok: true, detail: 'disabled in config' };
    if (this.lastOk !== null) return { ...base, ok: this.lastOk, detail: this.lastDetail };
    const problem = this.channel.probe?.() ?? null;
    return problem ? { ...base, ok: false, detail: problem } : { ...base, ok: true, detail: 'nothing sent yet' };
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
