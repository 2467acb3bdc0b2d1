import { describe, expect, it } from "vitest";
import { ssoUsernameBase, ssoUsernameCandidate } from "../../src/domain/single-sign-on.js";
import { parseNewUsername } from "../../src/domain/user.js";

describe("a new single sign-on account's username", () => {
  const base = (preferredUsername: string | null, subject = "248289761001") => ssoUsernameBase({ preferredUsername, subject });

  it("comes from preferred_username (an e-mail's local part), reduced to username characters", () => {
    expect(base("jane")).toBe("jane");
    expect(base("Jane Doe")).toBe("Jane-Doe");
    expect(base("jane.doe@example.com")).toBe("jane.doe");
    expect(base("Zoë  Ünal")).toBe("Zoe-Unal");
    expect(base("--ann..")).toBe("ann");
  });

  it("falls back to sso-<sub> when the hint gives fewer than 3 characters, and never breaks the username rules", () => {
    expect(base(null)).toBe("sso-248289761001");
    expect(base("李")).toBe("sso-248289761001");
    expect(base("ab", "auth0|5f7c8ec7")).toBe("sso-auth0-5f7c8ec7");
    expect(base(null, "日本")).toBe("sso-user");
    const long = base("x".repeat(300));
    expect(long.length).toBeLessThanOrEqual(94);
    for (const name of [long, base(null, "y".repeat(300)), base("a.b-c_d")]) expect(parseNewUsername(name)).toBe(name);
  });

  it("takes a numbered suffix when the name is taken, within 100 characters", () => {
    expect(ssoUsernameCandidate("jane", 1)).toBe("jane");
    expect(ssoUsernameCandidate("jane", 2)).toBe("jane-2");
    expect(ssoUsernameCandidate(base("x".repeat(300)), 99_999).length).toBeLessThanOrEqual(100);
  });
});
