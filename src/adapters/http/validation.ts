import { Ajv, type Options } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler, FastifyServerOptions } from "fastify";
import { InvalidRequest } from "./problem.js";

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type ValidatorFactory = (externalSchemas: Record<string, unknown>) => FastifySchemaCompiler<FastifySchema>;
type DeclaredValidatorFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>["buildValidator"]
>;

/**
 * Two validators: request bodies are checked as sent (no type coercion, so `"password": 12345678`
 * is a 400, not the string "12345678"); path and query strings are coerced, as they can only be
 * text. Neither strips unknown properties: `additionalProperties: false` makes them a 400.
 */
const buildTwoValidators: ValidatorFactory = (externalSchemas) => {
  const make = (coerceTypes: Options["coerceTypes"]): Ajv => {
    const ajv = new Ajv({
      coerceTypes,
      removeAdditional: false,
      useDefaults: true,
      allErrors: false,
      strict: false,
    });
    addFormats(ajv);
    for (const schema of Object.values(externalSchemas)) ajv.addSchema(schema as object);
    return ajv;
  };
  const strictAjv = make(false);
  const coercingAjv = make("array");
  return ({ schema, httpPart }) => (httpPart === "body" ? strictAjv : coercingAjv).compile(schema as object);
};

/**
 * Fastify calls a validator compiler with `{ schema, method, url, httpPart }` (see its own
 * ajv-compiler), while the published type declares a bare schema; this is the one cast between them.
 */
export const buildValidator = buildTwoValidators as unknown as DeclaredValidatorFactory;

/**
 * JSON is the only body the API reads (anything else is 415). Bodies are parsed as Fastify does
 * (prototype poisoning refused), except that an empty body is no body: `POST /entry/1/stop` with
 * a JSON content type and nothing in it means "stop now".
 */
export function jsonBodiesOnly(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    parse(request, text, (error, parsed) => {
      const illFormed = error ? null : findLoneSurrogate(parsed, "");
      if (illFormed !== null) {
        done(new InvalidRequest(illFormed, "must be well-formed Unicode (it holds a lone surrogate)"), undefined);
        return;
      }
      done(error, parsed);
    });
  });
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The JSON Pointer of the first string (or key) holding a lone surrogate, or null. JSON lets
 * "\ud800" through, but no UTF-8 store, CSV file or password hash can carry it faithfully.
 */
function findLoneSurrogate(value: unknown, path: string): string | null {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? path || "/" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findLoneSurrogate(value[i], `${path}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const pointer = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      if (LONE_SURROGATE.test(key)) return pointer;
      const found = findLoneSurrogate(item, pointer);
      if (found !== null) return found;
    }
  }
  return null;
}
