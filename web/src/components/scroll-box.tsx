import type { ComponentChildren, JSX } from "preact";

/**
 * A wide table's box, scrolled sideways on a narrow screen: it takes focus (so the arrow keys
 * scroll it) and is a region named `label`, so a keyboard reaches what a finger would swipe to.
 */
export function ScrollBox(props: { label: string; class?: string; children: ComponentChildren }): JSX.Element {
  return (
    <div class={`table-wrap${props.class ? ` ${props.class}` : ""}`} role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
