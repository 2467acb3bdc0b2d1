import type { DeliverWebhookEvents } from "../../application/webhooks.js";

export interface WorkerLogger {
  warn(object: object, message: string): void;
}

/**
 * Runs delivery rounds in the background of every process: one round at a time, again at once
 * while rounds come back full, otherwise after `pollMs` or when `kick()` says something was queued
 * here. Rounds in other processes claim other rows (the store makes each claim exclusive).
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private again = false;

  constructor(
    private readonly deliver: DeliverWebhookEvents,
    private readonly batchSize: number,
    private readonly pollMs: number,
    private logger: WorkerLogger,
  ) {}

  /** The app's logger, once there is one. */
  useLogger(logger: WorkerLogger): void {
    this.logger = logger;
  }

  start(): void {
    this.schedule(0);
  }

  /** Something was queued: run a round soon rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.round(), ms);
    this.timer.unref();
  }

  private round(): void {
    this.timer = null;
    if (this.running || this.stopped) return;
    this.again = false;
    this.running = this.deliver.execute().then(
      (sent) => {
        this.running = null;
        this.schedule(sent >= this.batchSize || this.again ? 0 : this.pollMs);
      },
      (error: unknown) => {
        this.running = null;
        this.logger.warn({ err: error }, "webhook delivery round failed; trying again later");
        this.schedule(this.pollMs);
      },
    );
  }
}
