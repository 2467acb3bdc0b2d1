import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID provider (oidc-provider, the certified implementation) on a loopback port of the
 * test process, with one confidential client. Interactions are answered by the test: whoever
 * `signInAs` names is the person who logs in and consents. `tamperNextIdToken` changes the
 * payload of the next ID token the token endpoint sends, keeping its header and signature.
 */
export interface TestOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Follows the provider's redirects as a browser would, as `sub`; returns the callback URL it ends at. */
  signInAs(authorizationUrl: string, sub: string, claims?: { preferred_username?: string; email?: string }): Promise<URL>;
  tamperNextIdToken(): void;
  close(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUri: string }): Promise<TestOidcProvider> {
  const clientId = "time-tracker";
  const clientSecret = "a-client-secret-only-the-tests-know-0123456789";
  const accounts = new Map<string, Record<string, string>>();
  let nextSub: string | null = null;
  let tamper = false;

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    cookies: { keys: ["test-cookie-key-0123456789"] },
    claims: { openid: ["sub"], profile: ["preferred_username"], email: ["email"] },
    // Profile claims in the ID token itself, as Keycloak sends them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, ...accounts.get(sub) }),
    }),
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (tamper && ctx.path === "/token" && typeof body?.id_token === "string") {
      tamper = false;
      const [header, payload, signature] = body.id_token.split(".");
      const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
      claims.sub = "someone-else";
      body.id_token = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    }
  });
  const callback = provider.callback();
  server.on("request", (req, res) => {
    if (!req.url?.startsWith("/interaction/")) {
      callback(req, res);
      return;
    }
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const accountId = nextSub ?? "nobody";
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    async signInAs(authorizationUrl, sub, claims = {}) {
      nextSub = sub;
      accounts.set(sub, claims);
      const jar = new Map<string, string>();
      let url = authorizationUrl;
      for (let hop = 0; hop < 10; hop++) {
        if (url.startsWith(options.redirectUri)) return new URL(url);
        const res = await fetch(url, {
          redirect: "manual",
          headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") },
        });
        for (const cookie of res.headers.getSetCookie()) {
          const [pair] = cookie.split(";");
          const at = pair?.indexOf("=") ?? -1;
          if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        const location = res.headers.get("location");
        if (!location) throw new Error(`the provider answered ${res.status} without a redirect: ${await res.text()}`);
        url = new URL(location, url).href;
      }
      throw new Error("too many redirects at the provider");
    },
    tamperNextIdToken() {
      tamper = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
