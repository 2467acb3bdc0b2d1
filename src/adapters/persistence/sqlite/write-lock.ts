/**
 * A first-come, first-served async mutex. SQLite allows one writer per database; better-sqlite3
 * is synchronous while the use cases are async, so every transaction and every write outside one
 * takes this lock before it touches the writer connection, and keeps it until it has committed or
 * rolled back. Nothing can then slip a statement into another caller's open transaction.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every task queued before it has finished, whether it succeeded or not. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
