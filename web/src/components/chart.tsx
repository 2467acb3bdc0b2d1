import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { PALETTE } from "../lib/palette";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);


/** The theme's text, grid and muted colours, read from the page's CSS (light or dark). */
function themeColours(): { text: string; grid: string; muted: string } {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return { text: read("--fg", "#222"), grid: read("--border", "#ccc"), muted: read("--muted", "#888") };
}

/**
 * A chart on a canvas with role img and a name saying what it shows; the same numbers are in a
 * table next to it for anyone who cannot see the picture.
 */
export function HoursChart(props: {
  kind: "bar" | "doughnut";
  label: string;
  labels: readonly string[];
  hours: readonly number[];
  /**
   * A colour per label (a project's own); undefined: the chart's own (bars in one colour, slices
   * in the palette's); null: the muted colour of "none".
   */
  colours?: readonly (string | null | undefined)[];
}): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);

  useEffect(() => {
    if (!canvas.current) return;
    const { text, grid, muted } = themeColours();
    const fallback = (i: number) => (props.kind === "bar" ? (PALETTE[0] as string) : (PALETTE[i % PALETTE.length] as string));
    const colours = props.labels.map((_, i) => {
      const own = props.colours?.[i];
      return own === undefined ? fallback(i) : (own ?? muted);
    });
    const config: ChartConfiguration = {
      type: props.kind,
      data: {
        labels: [...props.labels],
        datasets: [
          {
            label: "Hours",
            data: [...props.hours],
            backgroundColor: colours,
            borderWidth: props.kind === "bar" ? 0 : 1,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        color: text,
        plugins: { legend: { display: props.kind === "doughnut", labels: { color: text } } },
        ...(props.kind === "bar"
          ? {
              scales: {
                x: { ticks: { color: text }, grid: { color: grid } },
                y: { beginAtZero: true, ticks: { color: text }, grid: { color: grid }, title: { display: true, text: "hours", color: text } },
              },
            }
          : {}),
      },
    };
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [props.kind, props.labels.join("\u0000"), props.hours.join(","), (props.colours ?? []).join(",")]);

  return (
    <div class={`chart chart-${props.kind}`}>
      <canvas ref={canvas} role="img" aria-label={props.label}>
        {props.label}
      </canvas>
    </div>
  );
}
