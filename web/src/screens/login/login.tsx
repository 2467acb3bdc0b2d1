import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, errorText, type Me } from "../../api";
import { submitTo } from "../../components/form-actions";
import { TextField } from "../../components/text-field";

/**
 * Signed out: log in, or create an account and log in with it. An account with two-factor login
 * on is answered 401 TOTP_REQUIRED: then a Two-factor code field asks for the code (or a recovery
 * code) and the login is sent again with it.
 */
export function LoginScreen(props: { onSignedIn: (me: Me) => void }): JSX.Element {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [inviteCode, setInviteCode] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const [totpCode, setTotpCode] = useState("");
  const codeField = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A link to the provider when the instance has single sign-on (a plain navigation: the
  // provider sends the browser back to the callback, which sets the session cookie).
  const [ssoUrl, setSsoUrl] = useState<string | null>(null);
  useEffect(() => {
    api.singleSignOnUrl().then(setSsoUrl, () => setSsoUrl(null));
  }, []);

  useEffect(() => {
    if (needsCode) codeField.current?.focus();
  }, [needsCode]);

  async function signIn(create: boolean): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      if (create) await api.register(username.trim(), password, inviteCode);
      await api.logIn(username.trim(), password, needsCode && !create ? totpCode : "");
      props.onSignedIn(await api.me());
    } catch (e) {
      if (e instanceof ApiError && e.code === "TOTP_REQUIRED") {
        setNeedsCode(true);
        setError("This account has two-factor login on: enter the code from your authenticator app, or a recovery code.");
      } else if (needsCode && e instanceof ApiError && e.code === "INVALID_CREDENTIALS") {
        setError("The password or the two-factor code is not right. A code works once: if it was just used, wait for the next one.");
      } else {
        setError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login" id="main">
      <h1>Time Tracker</h1>
      <form class="card" onSubmit={submitTo(() => signIn(false))}>
        <label for="login-username">Username</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          required
          value={username}
          onInput={(e) => {
            setUsername(e.currentTarget.value);
            setNeedsCode(false);
          }}
        />
        <label for="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {needsCode && (
          <TextField
            id="login-totp"
            fieldClass="totp"
            label="Two-factor code"
            name="totp_code"
            inputRef={codeField}
            autoComplete="one-time-code"
            spellcheck={false}
            required
            value={totpCode}
            onValue={setTotpCode}
            hint="The 6-digit code from your authenticator app, or one of your recovery codes."
          />
        )}
        <details class="invite">
          <summary>I have an invitation code</summary>
          <TextField
            id="login-invite"
            label="Invitation code"
            name="invite_code"
            autoComplete="off"
            spellcheck={false}
            value={inviteCode}
            onValue={setInviteCode}
            hint="Optional: for Create account, if an admin gave you one."
          />
        </details>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            Log in
          </button>
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={(event) => {
              const form = event.currentTarget.form;
              if (form && !form.reportValidity()) return;
              void signIn(true);
            }}
          >
            Create account
          </button>
        </div>
        {ssoUrl && (
          <p>
            <a href={ssoUrl}>Sign in with single sign-on</a>
          </p>
        )}
        <p class="hint">New here? Choose a username (3–100 letters, digits, . _ -) and a password of at least 8 characters, then Create account.</p>
      </form>
    </main>
  );
}
