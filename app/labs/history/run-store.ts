/**
 * Finished runs kept in the browser (IndexedDB, structured clones: typed arrays come back as they were), so a
 * reload loses nothing: each with its lab, time, spec and results, to list, reopen without training, compare,
 * export or delete.
 */
export interface StoredRun {
  readonly id: number;
  readonly lab: string;
  /** ISO time the run finished. */
  readonly at: string;
  readonly spec: unknown;
  readonly results: unknown;
  /** The compute backend the page trained on (what the lab's state names). */
  readonly backend: string | null;
}

const DB = 'tlab-runs';
const STORE = 'runs';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('this browser keeps no run history (no IndexedDB)'));
      return;
    }
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
      store.createIndex('lab', 'lab');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('the run history could not be opened'));
  });
}

function request<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = f(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(req.result as T);
        };
        tx.onerror = () => {
          db.close();
          reject(tx.error ?? new Error('the run history failed'));
        };
        tx.onabort = tx.onerror;
      }),
  );
}

export function saveRun(run: Omit<StoredRun, 'id'>): Promise<number> {
  return request<number>('readwrite', (s) => s.add(run));
}

/** This lab's runs, newest first. */
export async function listRuns(lab: string): Promise<StoredRun[]> {
  const runs = await request<StoredRun[]>('readonly', (s) => s.index('lab').getAll(lab));
  return runs.sort((a, b) => b.id - a.id);
}

export function deleteRun(id: number): Promise<void> {
  return request<void>('readwrite', (s) => s.delete(id));
}
