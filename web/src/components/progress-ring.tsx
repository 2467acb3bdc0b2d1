import type { JSX } from "preact";

const RADIUS = 26;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/**
 * A ring filled to `fraction` (0 to 1), an image named `label`; `over` draws it in the warning
 * colour. Drawn with SVG attributes only, so the strict style policy holds.
 */
export function ProgressRing(props: { fraction: number; label: string; over?: boolean }): JSX.Element {
  const filled = Math.max(0, Math.min(1, props.fraction)) * CIRCUMFERENCE;
  return (
    <svg class={`ring${props.over ? " over" : ""}`} viewBox="0 0 64 64" width="64" height="64" role="img" aria-label={props.label}>
      <circle class="ring-track" cx="32" cy="32" r={RADIUS} fill="none" stroke-width="8" />
      <circle
        class="ring-fill"
        cx="32"
        cy="32"
        r={RADIUS}
        fill="none"
        stroke-width="8"
        stroke-linecap="round"
        stroke-dasharray={`${filled} ${CIRCUMFERENCE}`}
        transform="rotate(-90 32 32)"
      />
    </svg>
  );
}
