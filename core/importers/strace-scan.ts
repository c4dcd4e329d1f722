/**
 * The fast path of strace parsing: reads the common lines, calls such as
 * `7090  1795331362.712405 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY) = 3 <0.000016>` and the halves of
 * interrupted ones (`<unfinished ...>`, `<... read resumed>`), straight from their bytes, without a string
 * per line. It takes only the fields a row needs (thread, time, name, result, errno, duration) and skips the
 * arguments. Anything it is not sure of is LineKind.Other, and the line goes
 * the slow way (strace-line.ts's regular expressions), so both ways give the same rows: every check here
 * mirrors one in strace-line.ts, and the tests feed both the same lines.
 */

export const enum Clock {
  None = 0,
  TimeOfDay = 1,
  Seconds = 2,
}

/** What scanCall read from one line; one instance is reused for every line. */
export class CallScan {
  /** The thread id of a `[pid N]` or bare `N ` prefix, or -1 without one. */
  tid = -1;
  clock = Clock.None;
  /** Seconds since midnight (-t/-tt) or seconds (-r/-ttt), and the fraction in ns. */
  sec = 0;
  nsec = 0;
  hasFraction = false;
  nameStart = 0;
  nameEnd = 0;
  /** The return value, or NaN for `?`. */
  ret = Number.NaN;
  /** The errno name's bytes, or -1 when there is none. */
  errnoStart = -1;
  errnoEnd = -1;
  /** The -T duration in ns, or NaN when there is none (or it is `<unavailable>`). */
  durationNs = Number.NaN;
}

const SPACE = 32;
const TAB = 9;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isNameStart = (c: number) => (c >= 97 && c <= 122) || isUpper(c) || c === 95;
const isNameByte = (c: number) => isNameStart(c) || isDigit(c);
const hexValue = (c: number) => (isDigit(c) ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);
/** Blanks the line grammar's \s and trim() also take that are not plain space or tab: the slow way decides. */
const isOddSpace = (c: number) => c === 11 || c === 12 || c === 13 || c >= 0x80;

const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
// Marks after which the line means something other than a completed call (see parseBody and StraceParser.handle).
const UNFINISHED = bytesOf('<unfinished ...>');
const DETACHED = bytesOf('<detached ...>');
const PID_CHANGED = bytesOf('<pid changed to ');
const ATTACHED = bytesOf('strace: Process ');
const STRACE = bytesOf('strace: ');
const PID = bytesOf('[pid');
const UNAVAILABLE = bytesOf('unavailable');

function at(buf: Uint8Array, i: number, end: number, word: Uint8Array): boolean {
  if (end - i < word.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word[k]) return false;
  return true;
}

/** Digits from i as an integer; the end index is in `digitsEnd`. At most 15 digits, so the value is exact. */
let digitsEnd = 0;
function digits(buf: Uint8Array, i: number, end: number): number {
  let v = 0;
  const start = i;
  while (i < end && isDigit(buf[i]!)) v = v * 10 + (buf[i++]! - 48);
  digitsEnd = i - start > 15 ? -1 : i;
  return v;
}

/** ns of the fraction digits buf[start, end), as fractionToNs gives them (digits past the 9th dropped). */
function fractionNs(buf: Uint8Array, start: number, end: number): number {
  let v = 0;
  const n = Math.min(end - start, 9);
  for (let k = 0; k < n; k++) v = v * 10 + (buf[start + k]! - 48);
  for (let k = n; k < 9; k++) v *= 10;
  return v;
}

/** Skips plain blanks; returns -1 at a blank only the slow way judges. */
function skipBlanks(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i]!;
    if (c === SPACE || c === TAB) i++;
    else return isOddSpace(c) ? -1 : i;
  }
  return i;
}

/** The PID prefix (`[pid N] ` or `N  `) and the blanks after it; returns where the rest starts, or -1. */
function scanPrefix(buf: Uint8Array, i: number, end: number, out: CallScan): number {
  out.tid = -1;
  const c = buf[i]!;
  if (c === 91 /* [ */) {
    if (!at(buf, i, end, PID)) return -1;
    i += PID.length;
    const j = skipBlanks(buf, i, end);
    if (j <= i) return -1;
    const tid = digits(buf, j, end);
    if (digitsEnd <= j || digitsEnd - j > 9 || digitsEnd >= end || buf[digitsEnd] !== 93 /* ] */) return -1;
    out.tid = tid;
    i = digitsEnd + 1;
  } else if (isDigit(c)) {
    const tid = digits(buf, i, end);
    if (digitsEnd < 0) return -1;
    const next = digitsEnd < end ? buf[digitsEnd]! : -1;
    if (next === SPACE || next === TAB) {
      if (digitsEnd - i > 9) return -1;
      out.tid = tid;
      i = digitsEnd;
    } else if (next >= 0 && isOddSpace(next)) {
      return -1;
    }
  }
  return skipBlanks(buf, i, end);
}

/** A -t/-tt/-ttt/-r timestamp and the blanks after it; returns where the body starts, or -1. */
function scanTime(buf: Uint8Array, i: number, end: number, out: CallScan): number {
  out.clock = Clock.None;
  if (i >= end || !isDigit(buf[i]!)) return i;
  let j: number;
  if (i + 2 < end && buf[i + 2] === 58 /* : */) {
    // HH:MM:SS[.frac]: exactly two digits each; a time no clock shows is reported by the slow way.
    for (let k = 0; k < 8; k++) if (k !== 2 && k !== 5 && (i + k >= end || !isDigit(buf[i + k]!))) return -1;
    if (buf[i + 5] !== 58) return -1;
    const two = (k: number) => (buf[i + k]! - 48) * 10 + (buf[i + k + 1]! - 48);
    const h = two(0);
    const m = two(3);
    const s = two(6);
    if (h > 23 || m > 59 || s > 60) return -1;
    out.clock = Clock.TimeOfDay;
    out.sec = h * 3600 + m * 60 + s;
    j = i + 8;
  } else {
    out.sec = digits(buf, i, end);
    if (digitsEnd < 0 || digitsEnd + 1 >= end || buf[digitsEnd] !== 46 /* . */ || !isDigit(buf[digitsEnd + 1]!)) return -1;
    out.clock = Clock.Seconds;
    j = digitsEnd;
  }
  out.hasFraction = false;
  out.nsec = 0;
  if (buf[j] === 46 && j + 1 < end && isDigit(buf[j + 1]!)) {
    let k = j + 1;
    while (k < end && isDigit(buf[k]!)) k++;
    out.nsec = fractionNs(buf, j + 1, k);
    out.hasFraction = true;
    j = k;
  }
  const body = skipBlanks(buf, j, end);
  return body <= j ? -1 : body;
}

/** Nothing in the arguments may turn the line into something else (see parseBody) or break its regexes. */
function plainArguments(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (!WATCH[c]) continue;
    // \r, and U+2028/U+2029 (E2 80 A8/A9), end a line for the regexes' `.`; the slow way handles them.
    if (c === 13 || c === 0xe2) return false;
    if (c === 60 /* < */) {
      // Every -T line has a "<" (its duration): the byte after it rules out the marks before they are compared.
      const next = buf[i + 1];
      if ((next === 117 /* u */ && at(buf, i, end, UNFINISHED)) || (next === 100 /* d */ && at(buf, i, end, DETACHED)) || (next === 112 /* p */ && at(buf, i, end, PID_CHANGED))) return false;
    }
    // "strace: Process " is found by its colon, which arguments seldom hold (paths are full of 's').
    if (c === 58 /* : */ && i - ATTACHED_COLON >= start && at(buf, i - ATTACHED_COLON, end, ATTACHED)) return false;
  }
  return true;
}
/** The bytes plainArguments looks at twice (one table load per byte for the rest). */
const WATCH = new Uint8Array(256);
for (const c of [13, 0xe2, 60, 58]) WATCH[c] = 1;
const ATTACHED_COLON = ATTACHED.indexOf(58);

/** ` <0.000123>` or ` <unavailable>` ending exactly at `end`; false for anything else. */
function scanDuration(buf: Uint8Array, i: number, end: number, out: CallScan): boolean {
  if (end - i < 4 || buf[i] !== SPACE || buf[i + 1] !== 60 /* < */ || buf[end - 1] !== 62 /* > */) return false;
  i += 2;
  if (at(buf, i, end, UNAVAILABLE) && i + UNAVAILABLE.length === end - 1) return true;
  const sec = digits(buf, i, end);
  if (digitsEnd <= i || buf[digitsEnd] !== 46) return false;
  const f = digitsEnd + 1;
  let k = f;
  while (k < end && isDigit(buf[k]!)) k++;
  if (k === f || k !== end - 1) return false;
  out.durationNs = sec * 1e9 + fractionNs(buf, f, k);
  return true;
}

/** `= RET[<decoration>][ ERRNO][ (explanation)][ <duration>]` from i to the end (strace-line.ts's RESULT). */
function scanResult(buf: Uint8Array, i: number, end: number, out: CallScan): boolean {
  out.ret = Number.NaN;
  out.errnoStart = out.errnoEnd = -1;
  out.durationNs = Number.NaN;
  if (i >= end) return false;
  const c = buf[i];
  if (c === 63 /* ? */) {
    i++;
  } else if (c === 48 && i + 1 < end && buf[i + 1] === 120 /* 0x */) {
    let v = 0;
    let k = i + 2;
    for (let h = hexValue(buf[k] ?? 0); k < end && h >= 0; h = hexValue(buf[++k] ?? 0)) v = v * 16 + h;
    // parseRet reads longer values as a signed 64-bit pattern; the slow way does that.
    if (k === i + 2 || k - i > 15) return false;
    out.ret = v;
    i = k;
  } else {
    const negative = c === 45; /* - */
    const from = negative ? i + 1 : i;
    const v = digits(buf, from, end);
    if (digitsEnd <= from) return false;
    out.ret = negative ? -v : v;
    i = digitsEnd;
  }
  if (i < end && buf[i] === 60 /* < */) {
    const close = buf.indexOf(62 /* > */, i);
    if (close < 0 || close >= end) return false;
    i = close + 1;
  }
  if (i + 1 < end && buf[i] === SPACE && isUpper(buf[i + 1]!)) {
    out.errnoStart = i + 1;
    i += 2;
    while (i < end && (isUpper(buf[i]!) || isDigit(buf[i]!) || buf[i] === 95)) i++;
    out.errnoEnd = i;
  }
  if (i === end) return true;
  if (i + 1 < end && buf[i] === SPACE && buf[i + 1] === 40 /* ( */) {
    // The explanation runs to the last ")" that only a duration (or nothing) follows.
    if (buf[end - 1] === 41 /* ) */ && end - 1 >= i + 2) return true;
    const lt = buf.lastIndexOf(60 /* < */, end - 1);
    if (lt < i + 4 || buf[lt - 1] !== SPACE || buf[lt - 2] !== 41) return false;
    return scanDuration(buf, lt - 1, end, out);
  }
  return scanDuration(buf, i, end, out);
}

/** What a line is, as far as the byte path reads it. */
export const enum LineKind {
  /** Anything else: the string way reads it. */
  Other = 0,
  /** `name(args) = result`. */
  Call = 1,
  /** `name(args <unfinished ...>`: the entry half; the name is set, no result. */
  Unfinished = 2,
  /** `<... name resumed>args) = result`: the exit half. */
  Resumed = 3,
}

const UNFINISHED_END = bytesOf(' <unfinished ...>');
const RESUMED_START = bytesOf('<... ');
const RESUMED_END = bytesOf(' resumed>');
const isResumedName = (c: number) => isNameByte(c) || c === 63; /* ? */

/**
 * Reads a call line (completed, unfinished or resumed) from buf[start, end) into `out`; LineKind.Other when
 * the line is anything else, or anything this path does not read exactly like strace-line.ts (then `out`
 * means nothing).
 */
export function scanLine(buf: Uint8Array, start: number, end: number, out: CallScan): LineKind {
  if (end - start < 6 || at(buf, start, end, STRACE)) return LineKind.Other;
  let i = scanPrefix(buf, start, end, out);
  if (i < 0) return LineKind.Other;
  i = scanTime(buf, i, end, out);
  if (i < 0 || i >= end) return LineKind.Other;
  if (buf[i] === 60 /* < */) {
    if (!at(buf, i, end, RESUMED_START)) return LineKind.Other;
    i += RESUMED_START.length;
    out.nameStart = i;
    while (i < end && isResumedName(buf[i]!)) i++;
    out.nameEnd = i;
    if (i === out.nameStart || !at(buf, i, end, RESUMED_END)) return LineKind.Other;
    i += RESUMED_END.length;
    return plainArguments(buf, i, end) && resultAfterArguments(buf, i, end, out) ? LineKind.Resumed : LineKind.Other;
  }
  if (!isNameStart(buf[i]!)) return LineKind.Other;
  out.nameStart = i;
  while (i < end && isNameByte(buf[i]!)) i++;
  out.nameEnd = i;
  if (i >= end || buf[i] !== 40 /* ( */) return LineKind.Other;
  const args = i + 1;
  if (end - args >= UNFINISHED_END.length && at(buf, end - UNFINISHED_END.length, end, UNFINISHED_END)) {
    return plainArguments(buf, args, end - UNFINISHED_END.length) ? LineKind.Unfinished : LineKind.Other;
  }
  return plainArguments(buf, args, end) && resultAfterArguments(buf, args, end, out) ? LineKind.Call : LineKind.Other;
}

/** `...) = result` from `args` to the end (strace-line.ts's splitResult, when its first try succeeds). */
function resultAfterArguments(buf: Uint8Array, args: number, end: number, out: CallScan): boolean {
  // The result starts at the last " = " (splitResult tries earlier ones only when this one does not parse).
  let eq = end - 3;
  while (eq >= args && !(buf[eq] === SPACE && buf[eq + 1] === 61 && buf[eq + 2] === SPACE)) eq--;
  if (eq < args || !scanResult(buf, eq + 3, end, out)) return false;
  // What comes before " = ", less trailing blanks, must close the argument list.
  let k = eq - 1;
  while (k >= args && (buf[k] === SPACE || buf[k] === TAB || buf[k] === 11 || buf[k] === 12)) k--;
  return k >= args && buf[k] === 41 /* ) */;
}
