import type { JSX } from "preact";
import { ApiError } from "../api";

/** What to do about a refusal, where the API's own sentence does not say it. */
const NEXT_STEP: Readonly<Record<string, string>> = {
  LAST_OWNER: "Make another user an owner first.",
  FORBIDDEN: "Your role does not allow this.",
};

/**
 * A failed call, announced: the API's problem detail, what to do next where that is known, and
 * the status and stable code (e.g. "409 LAST_OWNER") for anyone reporting it.
 */
export function ErrorAlert(props: { error: unknown }): JSX.Element | null {
  const { error } = props;
  if (error === null || error === undefined) return null;
  if (!(error instanceof ApiError)) {
    return (
      <p class="error" role="alert">
        {error instanceof Error ? error.message : String(error)}
      </p>
    );
  }
  const next = NEXT_STEP[error.code];
  return (
    <p class="error" role="alert">
      {error.detail}
      {next && ` ${next}`} <span class="problem-code">({error.status} {error.code})</span>
    </p>
  );
}
