import { describe, expect, it } from 'vitest';
import { escapeForTerminal, hasTerminalControls } from './terminal.ts';

describe('escapeForTerminal', () => {
  it('shows C0 controls, ESC, DEL and C1 controls as visible escapes', () => {
    expect(escapeForTerminal('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(escapeForTerminal('\x1b]52;c;aGVsbG8=\x07')).toBe('\\x1b]52;c;aGVsbG8=\\x07');
    expect(escapeForTerminal('x\r\x00\x08y')).toBe('x\\x0d\\x00\\x08y');
    expect(escapeForTerminal('\x7f\u0080\u009b31m\u009f')).toBe('\\u007f\\u0080\\u009b31m\\u009f');
  });

  it('keeps newlines and tabs (or what it is told to keep) and every printable character', () => {
    expect(escapeForTerminal('a\tb\nc')).toBe('a\tb\nc');
    expect(escapeForTerminal('a\tb\nc', '')).toBe('a\\x09b\\x0ac');
    const printable = 'é ü 中文 🙂 ~ \u00a0\u00ff\u2028 <idle>';
    expect(escapeForTerminal(printable)).toBe(printable);
  });

  it('keeps JSON valid and equal in meaning', () => {
    const value = { label: 'evil\x1b[31m\u009b2J\x7f\u0085' };
    const out = escapeForTerminal(JSON.stringify(value));
    expect(hasTerminalControls(out)).toBe(false);
    expect(JSON.parse(out)).toEqual(value);
  });
});
