import { describe, expect, it } from "vitest";
import QRCode from "qrcode";
import { ENTRY_EVENTS } from "../../../src/domain/webhook.js";
import {
  ALL_EVENTS,
  DEFAULT_TOKEN_EXPIRY,
  deliveryOutcome,
  eventsText,
  eventsToSend,
  expiryDays,
  groupSecret,
  newPasswordProblem,
  sessionEnded,
  svgDataUrl,
  TOKEN_EXPIRY,
  WEBHOOK_EVENTS,
} from "../../../web/src/lib/account.js";

describe("the Account screen's rules", () => {
  it("takes a 401 for a gone session, but not a wrong password or code, nor any answer of POST /login", () => {
    expect(sessionEnded(401, "UNAUTHENTICATED", "/me")).toBe(true);
    expect(sessionEnded(401, undefined, "/entries/ann")).toBe(true);
    expect(sessionEnded(401, "INVALID_CREDENTIALS", "/me/password")).toBe(false);
    expect(sessionEnded(401, "INVALID_CREDENTIALS", "/me")).toBe(false);
    expect(sessionEnded(401, "UNAUTHENTICATED", "/login")).toBe(false);
    expect(sessionEnded(401, "TOTP_REQUIRED", "/login")).toBe(false);
    expect(sessionEnded(403, "FORBIDDEN", "/me")).toBe(false);
    expect(sessionEnded(409, "LAST_OWNER", "/me")).toBe(false);
  });

  it("checks a new password as registration does (8 to 256 characters) and against its confirmation", () => {
    expect(newPasswordProblem("short", "short")).toMatch(/at least 8/);
    expect(newPasswordProblem("x".repeat(257), "x".repeat(257))).toMatch(/at most 256/);
    expect(newPasswordProblem("a long passphrase", "a long passphrase!")).toMatch(/not the same/);
    expect(newPasswordProblem("12345678", "12345678")).toBeNull();
    expect(newPasswordProblem("x".repeat(256), "x".repeat(256))).toBeNull();
  });

  it("sends a token's lifetime as days, null for never, the API's 90 days by default", () => {
    expect(TOKEN_EXPIRY.map((c) => c.days)).toEqual([7, 30, 90, 365, null]);
    expect(expiryDays(DEFAULT_TOKEN_EXPIRY)).toBe(90);
    expect(expiryDays("never")).toBeNull();
    expect(expiryDays("365")).toBe(365);
    expect(expiryDays("nonsense")).toBe(90);
    for (const choice of TOKEN_EXPIRY) if (choice.days !== null) expect(choice.days).toBeGreaterThanOrEqual(1);
  });

  it("offers exactly the API's webhook events, and sends * for all of them or the ticked ones in order", () => {
    expect(WEBHOOK_EVENTS.map((e) => e.event)).toEqual([...ENTRY_EVENTS]);
    expect(eventsToSend(true, new Set(["entry.created"]))).toEqual([ALL_EVENTS]);
    expect(eventsToSend(false, new Set(["timer.stopped", "entry.created"]))).toEqual(["entry.created", "timer.stopped"]);
    expect(eventsToSend(false, new Set(["not.an.event"]))).toEqual([]);
    expect(eventsToSend(false, new Set())).toEqual([]);
  });

  it("says a webhook's events and a delivery's outcome in words", () => {
    expect(eventsText(["*"])).toBe("All events");
    expect(eventsText(["entry.created", "timer.started"])).toBe("Entry created, Timer started");
    expect(eventsText(["something.new"])).toBe("something.new");
    const base = { attempts: 1, last_status_code: null, last_error: null };
    expect(deliveryOutcome({ ...base, status: "delivered", last_status_code: 204 })).toBe("Delivered (HTTP 204)");
    expect(deliveryOutcome({ ...base, status: "pending", attempts: 0 })).toBe("Waiting to be sent");
    expect(deliveryOutcome({ ...base, status: "pending", attempts: 2, last_status_code: 500 })).toBe("Retrying after 2 attempts (HTTP 500)");
    expect(deliveryOutcome({ ...base, status: "failed", attempts: 1, last_error: "connection refused" })).toBe(
      "Failed after 1 attempt: connection refused",
    );
  });

  it("shows a QR code's SVG as a data: image (the CSP's img-src allows those), with no markup a policy would block", async () => {
    const url = "otpauth://totp/Time%20Tracker:ann?secret=JBSWY3DPEHPK3PXP&issuer=Time%20Tracker&algorithm=SHA1&digits=6&period=30";
    const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    expect(svg).not.toMatch(/<script|style=|on\w+=/i);
    const src = svgDataUrl(svg);
    expect(src.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(src).not.toMatch(/[\s"<>#]/);
    expect(decodeURIComponent(src.slice(src.indexOf(",") + 1))).toBe(svg.trim());
  });

  it("groups a secret by four for typing", () => {
    expect(groupSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    expect(groupSecret("ABCDEF")).toBe("ABCD EF");
    expect(groupSecret("")).toBe("");
  });
});
