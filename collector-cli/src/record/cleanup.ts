export interface CleanupHandle {
  /** Runs the action now, once, and forgets it. */
  run(): void;
  /** Forgets the action: its work was done another way (e.g. asynchronously). */
  drop(): void;
}

/**
 * Undo actions for what recording changes on the machine (a cgroup, tracefs settings, helper processes,
 * temp files). The normal path runs or drops each; whatever is still registered runs synchronously on
 * process 'exit', so an exception or a forced quit leaves nothing behind either.
 */
export class Cleanup {
  private actions: { label: string; fn: () => void }[] = [];
  private readonly onExit = () => this.runAll();

  constructor() {
    process.on('exit', this.onExit);
  }

  add(label: string, fn: () => void): CleanupHandle {
    const entry = { label, fn };
    this.actions.push(entry);
    const remove = () => {
      const i = this.actions.indexOf(entry);
      if (i >= 0) this.actions.splice(i, 1);
      return i >= 0;
    };
    return {
      run: () => {
        if (remove()) fn();
      },
      drop: () => void remove(),
    };
  }

  /** Runs everything still registered, newest first; returns what failed. */
  runAll(): string[] {
    const failures: string[] = [];
    while (this.actions.length) {
      const a = this.actions.pop()!;
      try {
        a.fn();
      } catch (e) {
        failures.push(`${a.label}: ${(e as Error).message}`);
      }
    }
    return failures;
  }

  dispose(): string[] {
    const failures = this.runAll();
    process.off('exit', this.onExit);
    return failures;
  }
}
