import type { FastifyReply, FastifyRequest } from "fastify";
import * as S from "./schemas.js";
import { ref } from "./schemas.js";

/** What the seed app's routes (and POST /category, which it calls) answer on a failure. */
export const seedProblem = {
  description: "Problem details (RFC 9457) with `error`, the detail where the seed app shows it",
  content: { "application/problem+json": { schema: ref(S.SeedAppProblem) } },
};

/**
 * Every problem answered on these routes (and on POST /category, which the app's category
 * panel calls) also carries `error`: the seed app shows that member.
 * (Runs before serialisation, for the error handler's answers as for any other.)
 */
export async function addErrorMember(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode < 400 || typeof payload !== "object" || payload === null || !("code" in payload)) return payload;
  const problem = payload as { detail?: string; title?: string };
  return { ...problem, error: problem.detail ?? problem.title ?? "" };
}
