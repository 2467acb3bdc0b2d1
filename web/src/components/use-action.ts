import { useState } from "preact/hooks";

export interface Action {
  /** Whether the work is under way (buttons wait meanwhile). */
  readonly busy: boolean;
  /** The last refusal, for an ErrorAlert; cleared when work starts again. */
  readonly error: unknown;
  readonly setError: (error: unknown) => void;
  /** Runs the work, keeping its failure as `error`; true when it succeeded. */
  readonly run: (work: () => Promise<unknown>) => Promise<boolean>;
}

/** One thing a form or button does against the API, with its busy state and its refusal. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function run(work: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
