import type { ComponentChildren, JSX } from "preact";
import { useRef } from "preact/hooks";

export interface Tab<K extends string> {
  readonly key: K;
  readonly label: string;
}

/**
 * Tabs as the ARIA pattern has them (HTML has no element for this): one tab in the Tab order,
 * arrow keys, Home and End move between tabs and show each one's panel.
 */
export function Tabs<K extends string>(props: {
  label: string;
  idPrefix: string;
  tabs: readonly Tab<K>[];
  selected: K;
  onSelect: (key: K) => void;
  children: ComponentChildren;
}): JSX.Element {
  const list = useRef<HTMLDivElement>(null);
  const keys = props.tabs.map((t) => t.key);

  function move(event: KeyboardEvent): void {
    const index = keys.indexOf(props.selected);
    const next =
      event.key === "ArrowRight" ? (index + 1) % keys.length
      : event.key === "ArrowLeft" ? (index - 1 + keys.length) % keys.length
      : event.key === "Home" ? 0
      : event.key === "End" ? keys.length - 1
      : null;
    if (next === null) return;
    event.preventDefault();
    props.onSelect(keys[next] as K);
    list.current?.querySelectorAll<HTMLElement>('[role="tab"]')[next]?.focus();
  }

  return (
    <div class="tabs">
      <div role="tablist" aria-label={props.label} ref={list} onKeyDown={move}>
        {props.tabs.map((tab) => {
          const selected = tab.key === props.selected;
          return (
            <button
              key={tab.key}
              type="button"
              role="tab"
              id={`${props.idPrefix}-tab-${tab.key}`}
              aria-selected={selected}
              aria-controls={selected ? `${props.idPrefix}-panel-${tab.key}` : undefined}
              tabIndex={selected ? 0 : -1}
              onClick={() => props.onSelect(tab.key)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div
        role="tabpanel"
        class="tab-panel"
        id={`${props.idPrefix}-panel-${props.selected}`}
        aria-labelledby={`${props.idPrefix}-tab-${props.selected}`}
        tabIndex={0}
      >
        {props.children}
      </div>
    </div>
  );
}
