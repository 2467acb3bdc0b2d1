/** The app's colours for series and new projects: distinct, and readable in light and dark mode. */
export const PALETTE: readonly string[] = ["#2f6fdb", "#e0782b", "#2a9d6a", "#c2417a", "#7c5cd6", "#b58a10", "#1c9aa8", "#d14b3c"];
