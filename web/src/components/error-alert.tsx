import type { JSX } from "preact";
import { ApiError } from "../api";
import { formatDateMaybeTime } from "../lib/format";

/** What to do about a refusal, where the API's own sentence does not say it. */
const NEXT_STEP: Readonly<Record<string, string>> = {
  LAST_OWNER: "Make another user an owner first.",
  FORBIDDEN: "Your role does not allow this.",
  PROJECT_ARCHIVED: "Choose another project, or ask an admin to unarchive this one.",
  CLIENT_NAME_TAKEN: "Choose another name, or unarchive the client that has it (Show archived).",
  PROJECT_NAME_TAKEN: "Choose another name or client, or unarchive the project that has it (Show archived).",
};

/** The API's sentence, with the locked period's instant said in the browser's own time. */
function detailOf(error: ApiError): string {
  const instant = error.code === "PERIOD_LOCKED" ? /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/.exec(error.detail)?.[0] : undefined;
  if (!instant) return error.detail;
  return `Locked period: entries starting before ${formatDateMaybeTime(new Date(instant))} cannot be added, changed or deleted, except by an admin.`;
}

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
      {detailOf(error)}
      {next && ` ${next}`} <span class="problem-code">({error.status} {error.code})</span>
    </p>
  );
}
