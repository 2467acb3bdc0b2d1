import { expect } from "vitest";

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * A small parser of the Prometheus text exposition format (0.0.4): `# HELP`/`# TYPE` lines and
 * samples `name{label="value",...} number`, escapes \\ \" \n in label values. Anything else
 * fails the test, so output a scraper would reject cannot pass.
 */
export function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const sample = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: \\d+)?$`);
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const comment = new RegExp(`^# (HELP|TYPE) (${NAME}) ?(.*)$`).exec(line);
    if (comment) {
      if (comment[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"], line).toContain(comment[3]);
        types.set(comment[2] as string, comment[3] as string);
      }
      continue;
    }
    const match = sample.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? "";
    label.lastIndex = 0;
    while (label.lastIndex < body.length) {
      const start = label.lastIndex;
      const pair = label.exec(body);
      if (!pair || pair.index !== start) throw new Error(`bad labels in: ${line}`);
      labels[pair[1] as string] = (pair[2] as string).replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    const raw = match[3] as string;
    const value = parseValue(raw);
    if (value === undefined) throw new Error(`bad value in: ${line}`);
    samples.push({ name: match[1] as string, labels, value });
  }
  return { samples, types };
}

/**
 * A sample's value as Prometheus reads it (Go's strconv.ParseFloat): a decimal or exponent
 * number, or NaN and ±Inf in any letter case (prom-client writes an empty histogram's mean as
 * "Nan"). Anything else is undefined.
 */
function parseValue(raw: string): number | undefined {
  const word = raw.toLowerCase();
  if (word === "nan") return Number.NaN;
  if (word === "+inf" || word === "inf" || word === "+infinity" || word === "infinity") return Infinity;
  if (word === "-inf" || word === "-infinity") return -Infinity;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : undefined;
}
