import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { OtpauthTotpAuthenticator } from "../../src/adapters/identity/otpauth-totp.js";
import { exportPieces, type ExportSection } from "../../src/adapters/http/account-export.js";
import type { UseCases } from "../../src/adapters/http/use-cases.js";
import type { User } from "../../src/domain/user.js";
import { isTotpCode, normalizeRecoveryCode } from "../../src/domain/two-factor.js";
import { loadConfig } from "../../src/config.js";

/** RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", its codes cut to 6 digits. */
const RFC_SECRET = "plain:GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP (RFC 6238, SHA-1, 6 digits, 30 s)", () => {
  const plain = new OtpauthTotpAuthenticator(null);

  it("accepts the RFC's codes at their times, one step either side, and says which step", () => {
    expect(plain.matchingStep(RFC_SECRET, "287082", new Date(59_000))).toBe(1);
    expect(plain.matchingStep(RFC_SECRET, "081804", new Date(1_111_111_109_000))).toBe(37_037_036);
    expect(plain.matchingStep(RFC_SECRET, "081804", new Date(1_111_111_109_000 + 30_000))).toBe(37_037_036);
    expect(plain.matchingStep(RFC_SECRET, "081804", new Date(1_111_111_109_000 + 90_000))).toBeNull();
    expect(plain.matchingStep(RFC_SECRET, "000000", new Date(59_000))).toBeNull();
  });

  it("seals secrets with the key (AES-256-GCM): readable with it, not without it, not when altered", () => {
    const key = randomBytes(32);
    const sealing = new OtpauthTotpAuthenticator(key);
    const { secret, sealed } = sealing.newSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(sealed).not.toContain(secret);
    expect(sealed).toMatch(/^aes256gcm:/);
    expect(sealing.newSecret().sealed).not.toBe(sealed);
    const current = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: 59_000 });
    expect(sealing.matchingStep(sealed, current, new Date(59_000))).toBe(1);
    // A secret stored plainly before the key was set is still read with the key.
    const now = new Date(59_000);
    expect(sealing.matchingStep(RFC_SECRET, "287082", now)).toBe(1);
    expect(() => plain.matchingStep(sealed, "287082", now)).toThrow(/TOTP_ENCRYPTION_KEY/);
    expect(() => new OtpauthTotpAuthenticator(randomBytes(32)).matchingStep(sealed, "287082", now)).toThrow();
    const altered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    expect(() => sealing.matchingStep(altered, "287082", now)).toThrow();
    expect(plain.newSecret().sealed).toMatch(/^plain:[A-Z2-7]{32}$/);
  });

  it("makes an otpauth URL with the issuer, the account and the parameters", () => {
    const url = new URL(plain.url("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "ann"));
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe("/Time Tracker:ann");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ algorithm: "SHA1", digits: "6", period: "30", issuer: "Time Tracker" });
  });

  it("makes distinct recovery codes of 80 bits that normalise as people type them", () => {
    const codes = plain.recoveryCodes(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect(normalizeRecoveryCode(" ABCD-efgh ijkl ")).toBe("abcdefghijkl");
    expect(isTotpCode("123 456")).toBe(true);
    expect(isTotpCode("12345")).toBe(false);
  });

  it("reads TOTP_ENCRYPTION_KEY as 64 hex digits or base64 of 32 bytes, and refuses anything else", () => {
    const key = randomBytes(32);
    expect(loadConfig({ TOTP_ENCRYPTION_KEY: key.toString("hex") }).totpEncryptionKey).toEqual(key);
    expect(loadConfig({ TOTP_ENCRYPTION_KEY: key.toString("base64") }).totpEncryptionKey).toEqual(key);
    expect(loadConfig({}).totpEncryptionKey).toBeNull();
    expect(() => loadConfig({ TOTP_ENCRYPTION_KEY: "short" })).toThrow(/^TOTP_ENCRYPTION_KEY /);
    expect(() => loadConfig({ TOTP_ENCRYPTION_KEY: randomBytes(16).toString("hex") })).toThrow(/^TOTP_ENCRYPTION_KEY /);
  });
});

describe("the account export document", () => {
  const user = { id: 7, username: "ann", createdAt: new Date(0), role: "member", active: true, hourlyRateCents: null } as unknown as User;

  it("writes a list section a piece at a time, reading its items as it goes; the pieces are one JSON document", async () => {
    let read = 0;
    async function* items() {
      for (let i = 0; i < 1_234; i++) {
        read++;
        yield { i };
      }
    }
    const sections: ExportSection[] = [
      { name: "profile", kind: "value", read: async () => ({ username: "ann" }) },
      { name: "things", kind: "list", read: async () => items() },
      { name: "empty", kind: "list", read: async () => (async function* () {})() },
    ];
    const pieces: string[] = [];
    const readWhenYielded: number[] = [];
    for await (const piece of exportPieces({} as UseCases, user, new Date("2026-02-10T09:00:00Z"), sections)) {
      pieces.push(piece);
      readWhenYielded.push(read);
    }
    const doc = JSON.parse(pieces.join("")) as { exported_at: string; profile: object; things: { i: number }[]; empty: [] };
    expect(doc.exported_at).toBe("2026-02-10T09:00:00Z");
    expect(doc.profile).toEqual({ username: "ann" });
    expect(doc.things.map((thing) => thing.i)).toEqual(Array.from({ length: 1_234 }, (_, i) => i));
    expect(doc.empty).toEqual([]);
    // Not all at once: the first pieces went out before the last items were read.
    expect(readWhenYielded.filter((count) => count < 1_234).length).toBeGreaterThanOrEqual(3);
  });
});
