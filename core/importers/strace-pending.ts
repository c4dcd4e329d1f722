/** A call whose `<unfinished ...>` entry half was read and whose `<... resumed>` half was not yet. */
export interface Pending {
  row: number;
  name: string;
  /** Entry half of the arguments; kept for clones (CLONE_THREAD) or when keepArgs is on. */
  args: string | null;
}

interface Entry extends Pending {
  open: boolean;
}

/**
 * The unfinished call of each thread: a Map's subset with a Map's answers, but each thread's entry is made once
 * and then reused. A third of a threaded capture's lines are unfinished or resumed halves, and a set and a
 * delete per call made the map allocate and rehash all along (5-7 % of the strace bench's parse time).
 * An entry read by get() stays as it was after delete(), until the next set() for the same thread.
 */
export class PendingCalls {
  private readonly entries = new Map<number, Entry>();
  size = 0;

  get(tid: number): Pending | undefined {
    const e = this.entries.get(tid);
    return e?.open ? e : undefined;
  }

  set(tid: number, row: number, name: string, args: string | null): void {
    const e = this.entries.get(tid);
    if (!e) {
      this.entries.set(tid, { row, name, args, open: true });
      this.size++;
      return;
    }
    if (!e.open) this.size++;
    e.open = true;
    e.row = row;
    e.name = name;
    e.args = args;
  }

  /** Whether the thread had an unfinished call (as Map.delete says). */
  delete(tid: number): boolean {
    const e = this.entries.get(tid);
    if (!e?.open) return false;
    e.open = false;
    this.size--;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
  }
}
