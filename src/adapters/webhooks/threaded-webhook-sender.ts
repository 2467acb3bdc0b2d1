import { Worker } from "node:worker_threads";
import type { ClaimedDelivery } from "../../application/ports/webhook-repository.js";
import type { SendResult, WebhookSender } from "../../application/ports/webhook-sender.js";
import type { SendAnswer, SendRequest, SendThreadOptions } from "./send-thread.js";

// Built, the thread runs send-thread.js. Run from source (tests, the dev server) its module is
// TypeScript: the thread first registers tsx's loader (a worker's execArgv cannot do it on Node 20),
// found from here rather than from the working directory, which may be anywhere.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const THREAD_MODULE = new URL(FROM_SOURCE ? "./send-thread.ts" : "./send-thread.js", import.meta.url);
const fromSourceBoot = () =>
  `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})` +
  `.then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD_MODULE.href)}); })`;

/** How long past a send's own deadline the thread may take to answer before it is presumed hung. */
const THREAD_GRACE_MS = 5_000;
const STOPPING = "the service is stopping";

/**
 * Sends deliveries from a thread of its own: signing a delivery and the HTTP exchange cost
 * about 85 µs of CPU each, which the event loop serving requests no longer pays (on two cores
 * or more; the claim and the record stay here, in the store's transactions). Sends started in
 * one tick cross to the thread in one message. A thread that dies, or does not answer a batch
 * within the send deadline and a grace, fails the sends it held (each a failed attempt, retried
 * unless it was the last), and the next send starts a new one.
 */
export class ThreadedWebhookSender implements WebhookSender {
  private thread: Worker | null = null;
  private readonly waiting = new Map<number, (result: SendResult) => void>();
  private outbox: SendRequest[] = [];
  private nextTicket = 1;
  private closed = false;

  /** `answerWithinMs`: how long the thread may take to answer a batch before it is presumed hung. */
  constructor(
    private readonly options: SendThreadOptions,
    private readonly answerWithinMs = options.timeoutMs + THREAD_GRACE_MS,
  ) {}

  send(delivery: ClaimedDelivery, now: Date): Promise<SendResult> {
    if (this.closed) return Promise.resolve({ error: STOPPING });
    return new Promise<SendResult>((resolve) => {
      const ticket = this.nextTicket++;
      this.waiting.set(ticket, resolve);
      if (this.outbox.length === 0) queueMicrotask(() => this.post());
      this.outbox.push({ ticket, delivery, now });
    });
  }

  /** Stops the thread; sends still out fail, and later ones at once. */
  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    this.thread = null;
    this.failAll(STOPPING);
    if (thread) await thread.terminate();
  }

  private post(): void {
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 0 || this.closed) return;
    try {
      const thread = this.running();
      thread.ref();
      thread.postMessage(batch);
      // One timer per batch: a thread that neither answers nor exits must not hold a round (and
      // the service's shutdown, which waits for it) for ever.
      setTimeout(() => this.checkAnswered(thread, batch), this.answerWithinMs).unref();
    } catch (error) {
      const reason = error instanceof Error ? error.message : "the sending thread is unavailable";
      for (const { ticket } of batch) this.settle(ticket, { error: `could not send: ${reason}`.slice(0, 200) });
    }
  }

  private checkAnswered(thread: Worker, batch: readonly SendRequest[]): void {
    if (this.thread !== thread || !batch.some(({ ticket }) => this.waiting.has(ticket))) return;
    this.thread = null;
    this.failAll(`the sending thread did not answer within ${this.answerWithinMs / 1000} s`);
    void thread.terminate();
  }

  private running(): Worker {
    if (this.thread) return this.thread;
    const thread = FROM_SOURCE
      ? new Worker(fromSourceBoot(), { eval: true, workerData: this.options })
      : new Worker(THREAD_MODULE, { workerData: this.options });
    // The thread keeps the process alive only while sends are out (ref'd by post()).
    thread.on("message", (answers: readonly SendAnswer[]) => {
      for (const { ticket, result } of answers) this.settle(ticket, result);
      if (this.waiting.size === 0) thread.unref();
    });
    const lost = (reason: string) => {
      if (this.thread !== thread) return;
      this.thread = null;
      this.failAll(reason);
    };
    thread.on("error", (error) => lost(`the sending thread failed: ${error.message}`));
    thread.on("exit", (code) => lost(`the sending thread stopped (exit code ${code})`));
    this.thread = thread;
    return thread;
  }

  private settle(ticket: number, result: SendResult): void {
    const resolve = this.waiting.get(ticket);
    if (!resolve) return;
    this.waiting.delete(ticket);
    resolve(result);
  }

  private failAll(reason: string): void {
    const error = reason.slice(0, 200);
    for (const ticket of [...this.waiting.keys()]) this.settle(ticket, { error });
  }
}
