import { StoreUnavailable } from "../../../application/ports/store.js";

interface Watched {
  readonly since: number;
  readonly expire: () => void;
}

/**
 * The client-side time limit of statements, kept by one coarse timer rather than a timer per
 * statement. mysql2's own `timeout` option arms and clears a timer for every statement; measured
 * here, that was about a third of the driver's CPU per statement.
 *
 * A statement with no answer after `limitMs` (noticed at most a quarter of the limit, and at most
 * a second, later) fails with StoreUnavailable, and its connection is destroyed so that nothing
 * the server might still send reaches another caller.
 */
export class StatementWatchdog {
  /** In the order the statements started, so the oldest come first. */
  private readonly pending = new Set<Watched>();
  private timer: NodeJS.Timeout | null = null;
  private readonly checkEveryMs: number;

  constructor(
    private readonly limitMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.checkEveryMs = Math.min(1_000, Math.max(10, Math.floor(limitMs / 4)));
  }

  /** Settles as `statement` does, unless the limit passes first. */
  watch<T>(connection: { destroy(): void }, statement: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const watched: Watched = {
        since: this.now(),
        expire: () => {
          connection.destroy();
          reject(new StoreUnavailable(`The MySQL server did not answer a statement within ${this.limitMs} ms`));
        },
      };
      this.pending.add(watched);
      this.start();
      statement.then(
        (value) => {
          this.pending.delete(watched);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(watched);
          reject(error);
        },
      );
    });
  }

  /** Stops the timer; statements still pending are left to their own fate. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.checkEveryMs);
    this.timer.unref();
  }

  private check(): void {
    const now = this.now();
    for (const watched of this.pending) {
      if (now - watched.since < this.limitMs) break;
      this.pending.delete(watched);
      watched.expire();
    }
  }
}
