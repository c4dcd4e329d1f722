/**
 * Text that goes to a terminal. A bundle's strings (labels, notes, task names) and an imported file's lines are
 * untrusted: printed raw, an ESC or a C1 control can clear the screen, move the cursor to fake output, retitle
 * the window or set the clipboard (OSC 52). This turns every such character into a visible escape:
 * C0 controls (U+0000–U+001F, ESC included) other than the ones kept become `\x1b`-style text; DEL and the C1
 * controls (U+0080–U+009F, which terminals also read, e.g. U+009B as CSI) become `\u009b`-style text.
 *
 * Output that is JSON stays valid JSON with the same meaning: JSON.stringify already writes C0 controls as
 * `\u001b` escapes, and `\u007f` / `\u0080`–`\u009f` are JSON escapes of the characters they replace.
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function hex(code: number): string {
  return code.toString(16).padStart(2, '0');
}

/** `text` with control characters as visible escapes; characters in `keep` (by default newline and tab) stay. */
export function escapeForTerminal(text: string, keep: string = '\n\t'): string {
  return text.replace(CONTROL, (c) => {
    if (keep.includes(c)) return c;
    const code = c.charCodeAt(0);
    return code < 0x20 ? `\\x${hex(code)}` : `\\u00${hex(code)}`;
  });
}

/** Whether `text` holds a character escapeForTerminal would escape (with the same `keep`). */
export function hasTerminalControls(text: string, keep: string = '\n\t'): boolean {
  for (const m of text.matchAll(CONTROL)) if (!keep.includes(m[0])) return true;
  return false;
}
