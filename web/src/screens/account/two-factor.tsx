import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Me } from "../../api";
import { ErrorAlert } from "../../components/error-alert";
import { FormActions, submitTo } from "../../components/form-actions";
import { ShownOnce } from "../../components/shown-once";
import { TextField } from "../../components/text-field";
import { useAction } from "../../components/use-action";
import { groupSecret, svgDataUrl } from "../../lib/account";

/**
 * Two-factor login (TOTP): off, Set up gives a secret as a QR code and as text, and a code from
 * the app turns it on, with 10 recovery codes shown once; on, a code or a recovery code turns it off.
 */
export function TwoFactorPanel(props: { me: Me; onChanged: () => void }): JSX.Element {
  const [enabled, setEnabled] = useState(props.me.totp_enabled);
  const [setup, setSetup] = useState<{ secret: string; otpauth_url: string } | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  const [done, setDone] = useState("");
  const action = useAction();

  useEffect(() => setEnabled(props.me.totp_enabled), [props.me.totp_enabled]);

  const start = () =>
    action.run(async () => {
      setDone("");
      setCode("");
      setSetup(await api.startTotp());
    });

  const confirm = () =>
    action.run(async () => {
      setRecovery(await api.confirmTotp(code));
      setSetup(null);
      setCode("");
      setEnabled(true);
      setDone("Two-factor login is on: logging in now asks for a code from the app.");
      props.onChanged();
    });

  const turnOff = () =>
    action.run(async () => {
      await api.disableTotp(code);
      setCode("");
      setRecovery(null);
      setEnabled(false);
      setDone("Two-factor login is off: logging in needs your password only.");
      props.onChanged();
    });

  return (
    <>
      <h2>Two-factor login</h2>
      <p>
        Status: <strong>{enabled ? "On" : "Off"}</strong>.{" "}
        {enabled
          ? "Logging in needs your password and a code from your authenticator app (or a recovery code)."
          : "With it on, logging in needs a code from an authenticator app on your phone as well as your password."}
      </p>
      <p role="status" class="done">
        {done}
      </p>
      {recovery && (
        <ShownOnce
          id="recovery-codes"
          heading="Your recovery codes"
          label="Recovery codes"
          value={recovery.join("\n")}
          rows={recovery.length}
          copyLabel="Copy codes"
          onDone={() => setRecovery(null)}
          hint="Keep them somewhere safe, away from your phone: each one logs you in once in place of a code if the app is lost. They will not be shown again."
        />
      )}
      {!enabled && !setup && (
        <div class="actions">
          <button type="button" disabled={action.busy} onClick={() => void start()}>
            Set up two-factor login
          </button>
        </div>
      )}
      {!enabled && setup && (
        <form class="card" aria-label="Set up two-factor login" onSubmit={submitTo(confirm)}>
          <ol class="steps">
            <li>
              <p>Scan this QR code with an authenticator app (such as Aegis, FreeOTP or Google Authenticator):</p>
              <QrCode text={setup.otpauth_url} label="QR code of the two-factor secret, for an authenticator app" />
            </li>
            <li>
              <TextField
                id="totp-secret"
                label="Or type this secret key into the app"
                class="code"
                readOnly
                value={groupSecret(setup.secret)}
                spellcheck={false}
                hint="Time-based, 6 digits, every 30 seconds (the app's defaults)."
              />
            </li>
            <li>
              <TextField
                id="totp-code"
                label="Code from the app"
                class="code short"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                value={code}
                onValue={setCode}
              />
            </li>
          </ol>
          <ErrorAlert error={action.error} />
          <FormActions submitLabel="Turn on" busy={action.busy} onCancel={() => setSetup(null)} />
        </form>
      )}
      {enabled && (
        <form class="card narrow" aria-label="Turn off two-factor login" onSubmit={submitTo(turnOff)}>
          <TextField
            id="totp-off-code"
            label="Code or recovery code"
            class="code"
            autoComplete="one-time-code"
            spellcheck={false}
            required
            value={code}
            onValue={setCode}
            hintId="totp-off-hint"
            hint="A current code from the app, or one of your unused recovery codes."
          />
          <ErrorAlert error={action.error} />
          <FormActions submitLabel="Turn off two-factor login" busy={action.busy} danger />
        </form>
      )}
      {!setup && !enabled && <ErrorAlert error={action.error} />}
    </>
  );
}

/**
 * The otpauth:// URL as a QR code: an SVG drawn by the `qrcode` package, loaded only here (it is
 * not in the first load), shown as an <img> of a data: URL (no inline markup, no canvas).
 */
function QrCode(props: { text: string; label: string }): JSX.Element {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    setSrc(null);
    setError(null);
    import("qrcode")
      .then((module) => {
        // A CommonJS package: its exports object is the default export (named ones may not be there).
        const qrcode = module.default ?? module;
        return qrcode.toString(props.text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      })
      .then(
        (svg) => current && setSrc(svgDataUrl(svg)),
        (e: unknown) => current && setError(e),
      );
    return () => {
      current = false;
    };
  }, [props.text]);

  if (error) return <ErrorAlert error={new Error("The QR code could not be drawn: type the secret key below instead.")} />;
  if (!src) return <p class="muted qr">Drawing the QR code…</p>;
  return <img class="qr" src={src} alt={props.label} width={208} height={208} />;
}
