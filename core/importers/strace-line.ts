/**
 * The grammar of one strace output line, without state: PID prefix, timestamp, and what the rest is.
 * Pairing of <unfinished ...> halves, thread groups and time bases live in strace.ts.
 */
import { secondsTextToNs } from './time-origin.ts';

export type StraceTimestampStyle = 'none' | 't' | 'tt' | 'ttt' | 'r';

const PID_BRACKET = /^\[pid\s+(\d+)\] ?/;
// A bare `-f -o` prefix is digits then blanks; a -r/-ttt timestamp has a '.' right after its digits, -t a ':'.
const PID_BARE = /^(\d+)\s+/;
const TIME_OF_DAY = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?\s+/;
/** A time of day that no clock shows ("74:55:35", "04:99:99"): the line is damaged. 60 s is a leap second. */
export const IMPOSSIBLE_TIME = -1;
const SECONDS = /^(\d+)\.(\d+)\s+/;

export interface LineHead {
  tid: number | null;
  body: string;
  /** Time of day (-t/-tt): seconds since midnight; -r/-ttt: seconds. null when the line has no timestamp. */
  sec: number | null;
  frac: string;
  clock: 'tod' | 'seconds' | null;
}

export function splitHead(line: string): LineHead {
  let rest = line;
  let tid: number | null = null;
  let m = PID_BRACKET.exec(rest) ?? PID_BARE.exec(rest);
  if (m) {
    tid = Number(m[1]);
    rest = rest.slice(m[0].length);
  }
  rest = rest.trimStart();
  m = TIME_OF_DAY.exec(rest);
  if (m) {
    const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const sec = h > 23 || min > 59 || s > 60 ? IMPOSSIBLE_TIME : h * 3600 + min * 60 + s;
    return { tid, body: rest.slice(m[0].length), sec, frac: m[4] ?? '', clock: 'tod' };
  }
  m = SECONDS.exec(rest);
  if (m) return { tid, body: rest.slice(m[0].length), sec: Number(m[1]), frac: m[2]!, clock: 'seconds' };
  return { tid, body: rest, sec: null, frac: '', clock: null };
}

export interface CallResult {
  ret: number | null;
  errno: string | null;
  /** -T duration as text seconds ("0.000123"), null when absent. */
  duration: string | null;
}

export type Body =
  | { type: 'call'; name: string; args: string; result: CallResult }
  | { type: 'unfinished'; name: string; args: string }
  /** Printed when the thread vanished mid-call (`<unfinished ...>) = ?`) or strace detached (`<detached ...>`). */
  | { type: 'abandoned'; name: string; args: string }
  /** vanished: strace reports the thread gone before the call returned (`<... x resumed> <unfinished ...>) = ?`). */
  | { type: 'resumed'; name: string; args: string; result: CallResult; vanished: boolean }
  /** execve by a non-leader thread: the thread takes the leader's pid `newPid`; the result comes under that pid. */
  | { type: 'pidChanged'; name: string; args: string; newPid: number }
  /** The leader's trace ends: thread `byTid` exec'd, and the next `<... execve resumed>` here is that thread's. */
  | { type: 'superseded'; byTid: number }
  | { type: 'signal'; name: string }
  | { type: 'exit'; status: number }
  | { type: 'killed'; signal: string }
  | { type: 'ignored' }
  | { type: 'bad'; reason: string };

const SIGNAL = /^--- (SIG[A-Z0-9+_-]+) /;
const EXITED = /^\+\+\+ exited with (-?\d+) \+\+\+$/;
const KILLED = /^\+\+\+ killed by (SIG[A-Z0-9+_-]+)(?: \(core dumped\))? \+\+\+$/;
const RESUMED = /^<\.\.\. ([A-Za-z0-9_?]+) resumed>(.*)$/;
const CALL = /^([A-Za-z_][A-Za-z0-9_]*|\?\?\?)\((.*)$/;
// ret, an optional fd decoration (-y), an errno name, the explanation in any locale, the -T time.
// strace prints "= ? <unavailable>" when it could not read the registers at the call's exit (the task died).
const RESULT = /^(\?|-?\d+|0x[0-9a-fA-F]+)(?:<[^>]*>)?(?: ([A-Z][A-Z0-9_]*))?(?: \((.*)\))?(?: <(\d+\.\d+|unavailable)>)?$/;
const UNFINISHED = ' <unfinished ...>';
// A thread other than the leader called execve: its line ends here, and the result is printed in the leader's
// file (-ff) or under the leader's pid (-f), after "+++ superseded by execve in pid <this thread> +++".
const PID_CHANGED = / <pid changed to (\d+) \.\.\.>$/;
const SUPERSEDED = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+$/;
const DETACHED = ' <detached ...>';

export function parseBody(body: string): Body {
  const c = body.charCodeAt(0);
  if (c === 45 /* - */) {
    const m = SIGNAL.exec(body);
    if (m) return { type: 'signal', name: m[1]! };
    if (body.startsWith('--- stopped by ')) return { type: 'ignored' };
    return { type: 'bad', reason: 'unrecognised "---" line (expected a signal like "--- SIGCHLD {...} ---")' };
  }
  if (c === 43 /* + */) {
    let m = EXITED.exec(body);
    if (m) {
      const status = Number(m[1]);
      return Number.isFinite(status) ? { type: 'exit', status } : { type: 'bad', reason: 'exit status too large for a number: the line is damaged' };
    }
    m = KILLED.exec(body);
    if (m) return { type: 'killed', signal: m[1]! };
    m = SUPERSEDED.exec(body);
    if (m) return { type: 'superseded', byTid: Number(m[1]) };
    return { type: 'bad', reason: 'unrecognised "+++" line (expected "+++ exited with N +++" or "+++ killed by SIG... +++")' };
  }
  if (c === 60 /* < */) {
    const m = RESUMED.exec(body);
    if (!m) return { type: 'bad', reason: 'unrecognised "<..." line (expected "<... name resumed>")' };
    const tail = splitResult(m[2]!);
    if (!tail) return { type: 'bad', reason: `"${m[1]}" resumed without a result ("= value")` };
    const range = outOfRange(tail.result);
    if (range) return { type: 'bad', reason: range };
    const vanished = tail.args === UNFINISHED;
    return { type: 'resumed', name: m[1]!, args: vanished ? '' : tail.args, result: tail.result, vanished };
  }
  const m = CALL.exec(body);
  if (!m) return { type: 'bad', reason: 'not a strace line (no "name(" call, signal, exit or resumed mark)' };
  const name = m[1]!;
  const rest = m[2]!;
  if (rest.endsWith(UNFINISHED)) return { type: 'unfinished', name, args: rest.slice(0, -UNFINISHED.length) };
  if (rest.endsWith(DETACHED)) return { type: 'abandoned', name, args: rest.slice(0, -DETACHED.length) };
  const changed = PID_CHANGED.exec(rest);
  if (changed) return { type: 'pidChanged', name, args: rest.slice(0, changed.index), newPid: Number(changed[1]) };
  const vanished = rest.lastIndexOf(UNFINISHED + ')');
  if (vanished !== -1 && /^\s*= \?/.test(rest.slice(vanished + UNFINISHED.length + 1))) {
    return { type: 'abandoned', name, args: rest.slice(0, vanished) };
  }
  const tail = splitResult(rest);
  if (!tail) return { type: 'bad', reason: `call "${name}" has no result ("= value") and is not marked <unfinished ...>` };
  const range = outOfRange(tail.result);
  if (range) return { type: 'bad', reason: range };
  return { type: 'call', name, args: tail.args, result: tail.result };
}

/**
 * Splits `args) = ret ...` at the " = " that starts a well-formed result. Searching from the end is right
 * for nearly every line (quoted strings are escaped but may contain " = "), and the result grammar check
 * makes a wrong split fall back to the next " = " to the left.
 */
function splitResult(text: string): { args: string; result: CallResult } | null {
  let at = text.length;
  for (let tries = 0; tries < 8 && at > 0; tries++) {
    at = text.lastIndexOf(' = ', at - 1);
    if (at < 0) return null;
    const m = RESULT.exec(text.slice(at + 3));
    if (m) {
      const head = text.slice(0, at).trimEnd();
      if (head.endsWith(')')) {
        return { args: head.slice(0, -1), result: { ret: parseRet(m[1]!), errno: m[2] ?? null, duration: m[4] === 'unavailable' ? null : (m[4] ?? null) } };
      }
    }
  }
  return null;
}

/** A return value or duration with hundreds of digits is no number a table can hold: the line is damaged. */
function outOfRange(r: CallResult): string | null {
  if (r.ret !== null && !Number.isFinite(r.ret)) return 'return value too large for a number: the line is damaged';
  if (r.duration !== null && !Number.isFinite(secondsTextToNs(r.duration) ?? 0)) return 'duration too large for a number: the line is damaged';
  return null;
}

const TWO_63 = 2n ** 63n;
const TWO_64 = 2n ** 64n;

function parseRet(text: string): number | null {
  if (text === '?') return null;
  if (text.startsWith('0x')) {
    // Small hex values (addresses) are exact as numbers; a full 64-bit pattern is a signed long in the kernel.
    if (text.length <= 15) return parseInt(text, 16);
    let v = BigInt(text);
    if (v >= TWO_63) v -= TWO_64;
    return Number(v);
  }
  return Number(text);
}
