import type { SavedForecaster } from '../../../core/forecast/saved-model.ts';

/**
 * Trained forecasters kept in this browser: one IndexedDB object store of SavedForecaster JSON (the same file
 * as the download), with a name and the time it was kept. Plain IndexedDB, no library.
 */
export const MODEL_DB = 'telemetry-lab-forecast-models';
const STORE = 'models';
const VERSION = 1;

export interface StoredModel {
  /** Assigned by IndexedDB. */
  readonly id: number;
  readonly name: string;
  /** ISO time it was kept here. */
  readonly storedAt: string;
  readonly saved: SavedForecaster;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

let opening: Promise<IDBDatabase> | null = null;

export function openModelStore(): Promise<IDBDatabase> {
  if (opening) return opening;
  opening = new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('this browser has no IndexedDB'));
      return;
    }
    const r = indexedDB.open(MODEL_DB, VERSION);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('cannot open IndexedDB'));
    r.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of this app'));
  }).catch((e: unknown) => {
    opening = null;
    throw e;
  });
  return opening;
}

/** Keeps a model; returns its id. */
export async function putModel(saved: SavedForecaster, name: string): Promise<number> {
  const db = await openModelStore();
  const tx = db.transaction(STORE, 'readwrite');
  const id = await request(tx.objectStore(STORE).add({ name, storedAt: new Date().toISOString(), saved }));
  await done(tx);
  return Number(id);
}

/** Every kept model, oldest first. */
export async function listModels(): Promise<StoredModel[]> {
  const db = await openModelStore();
  const tx = db.transaction(STORE, 'readonly');
  const all = await request(tx.objectStore(STORE).getAll());
  return (all as StoredModel[]).sort((a, b) => a.id - b.id);
}

export async function deleteModel(id: number): Promise<void> {
  const db = await openModelStore();
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).delete(id);
  await done(tx);
}

/** A readable default name: model, horizon/history and inputs (the bundle has its own column). */
export function defaultModelName(saved: SavedForecaster): string {
  return `${saved.model} h=${saved.layout.horizon} k=${saved.layout.history} ${saved.trainedOn.inputs}`;
}
