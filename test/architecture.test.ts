import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
}

/** Pure computation libraries the core may use; nothing that does I/O or frames the app. */
const ALLOWED_PACKAGES = new Set(["luxon"]);

describe("the hexagon's layers", () => {
  for (const layer of ["domain", "application"] as const) {
    it(`src/${layer} imports no framework, driver, adapter or Node I/O`, () => {
      const offences: string[] = [];
      for (const file of sourceFiles(join(ROOT, "src", layer))) {
        for (const spec of importsOf(file)) {
          const where = `${relative(ROOT, file)} imports ${spec}`;
          if (spec.startsWith("node:") || !spec.startsWith(".")) {
            if (!ALLOWED_PACKAGES.has(spec)) offences.push(where);
            continue;
          }
          const target = relative(ROOT, join(file, "..", spec));
          if (target.startsWith("src/adapters") || !target.startsWith("src/")) offences.push(where);
          if (layer === "domain" && !target.startsWith("src/domain")) offences.push(where);
          if (/src\/(container|app|main|config|tokens|logger)\.js$/.test(target)) offences.push(where);
        }
      }
      expect(offences).toEqual([]);
    });

    it(`src/${layer} reads no environment, clock or randomness directly, and has no any type`, () => {
      const offences = sourceFiles(join(ROOT, "src", layer)).flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((line) => /process\.env|new Date\(\)|Date\.now\(\)|Math\.random\(|(?::|\bas|<)\s*any\b/.test(line))
          .map((line) => `${relative(ROOT, file)}: ${line.trim()}`),
      );
      expect(offences).toEqual([]);
    });
  }

  it("the check itself catches a forbidden import", () => {
    expect(importsOf(join(ROOT, "src", "adapters", "http", "http-app.ts"))).toContain("fastify");
  });
});
