import type { JSX } from "preact";

/** An entry's tags as small labels (nothing when it has none). */
export function TagList(props: { tags: readonly string[] }): JSX.Element | null {
  if (props.tags.length === 0) return null;
  return (
    <ul class="tag-list">
      {props.tags.map((tag) => (
        <li key={tag}>{tag}</li>
      ))}
    </ul>
  );
}
