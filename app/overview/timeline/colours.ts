/**
 * A stable colour per task (pid + comm) or syscall name: a hash of the label, not its position in a list, so
 * a task keeps its colour across zooms, pans and reloads of the same bundle.
 */
export function keyColour(label: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h >>>= 0;
  const hue = h % 360;
  // Lightness and saturation vary a little too, so neighbouring hues of two busy tasks still differ.
  const light = 45 + ((h >>> 9) % 4) * 5;
  const sat = 55 + ((h >>> 13) % 3) * 10;
  return `hsl(${hue} ${sat}% ${light}%)`;
}
