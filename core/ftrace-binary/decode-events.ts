import type { EventFormat, FormatField } from './format-file.ts';

/** A decoded field: numbers for integers up to 8 bytes (exact to 2^53; larger ones lose low bits, as JSON would), strings for char arrays and __data_loc strings, null for what a record does not hold. */
export type FieldValue = number | string | null;

export interface FieldReader {
  readonly field: FormatField;
  read(view: DataView, bytes: Uint8Array, start: number, length: number): FieldValue;
}

const latin = new TextDecoder('utf-8');

/** A NUL-terminated string; comms are short ASCII, built directly (TextDecoder per 16 bytes costs more than the decode). */
function cString(bytes: Uint8Array, from: number, to: number): string {
  let end = from;
  let ascii = true;
  while (end < to && bytes[end] !== 0) {
    if (bytes[end]! >= 0x80) ascii = false;
    end++;
  }
  if (!ascii || end - from > 64) return latin.decode(bytes.subarray(from, end));
  let out = '';
  for (let i = from; i < end; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

function readInt(view: DataView, at: number, size: number, signed: boolean, le: boolean): number {
  switch (size) {
    case 1:
      return signed ? view.getInt8(at) : view.getUint8(at);
    case 2:
      return signed ? view.getInt16(at, le) : view.getUint16(at, le);
    case 4:
      return signed ? view.getInt32(at, le) : view.getUint32(at, le);
    case 8:
      return Number(signed ? view.getBigInt64(at, le) : view.getBigUint64(at, le));
  }
  return NaN;
}

/** A reader for one field; a field the record is too short for reads null. */
export function fieldReader(field: FormatField, littleEndian: boolean): FieldReader {
  const { offset, size, signed } = field;
  if (field.dynamic) {
    return {
      field,
      read(view, bytes, start, length) {
        if (offset + 4 > length) return null;
        const loc = view.getUint32(start + offset, littleEndian);
        // __rel_loc offsets count from the end of the field (kernel 5.18+).
        const from = (loc & 0xffff) + (field.dynamic === 'rel_loc' ? offset + 4 : 0);
        const len = loc >>> 16;
        if (from + len > length) return null;
        return field.isString ? cString(bytes, start + from, start + from + len) : `<${len} bytes>`;
      },
    };
  }
  if (field.isString) {
    return { field, read: (_v, bytes, start, length) => (offset + size > length ? null : cString(bytes, start + offset, start + offset + size)) };
  }
  if (field.arrayLength > 0 || ![1, 2, 4, 8].includes(size)) {
    // Arrays of numbers (stack traces, masks) are not columns anywhere; say what they are.
    return { field, read: (_v, _b, _s, length) => (offset + size > length ? null : `<${size} bytes>`) };
  }
  return { field, read: (view, _b, start, length) => (offset + size > length ? null : readInt(view, start + offset, size, signed, littleEndian)) };
}

/** An event's readers by field name, common fields included. */
export class EventDecoder {
  readonly readers: ReadonlyMap<string, FieldReader>;
  constructor(
    readonly format: EventFormat,
    littleEndian: boolean,
  ) {
    this.readers = new Map([...format.common, ...format.fields].map((f) => [f.name, fieldReader(f, littleEndian)]));
    this.list = [...this.readers];
  }

  private readonly list: [string, FieldReader][];
  private readonly scratch = new Map<string, FieldValue>();

  /**
   * Every field of the record, by name, in a map this decoder reuses: it is valid until the next call (copy it
   * to keep it). One map per record was most of the decoding's garbage.
   */
  decode(view: DataView, bytes: Uint8Array, start: number, length: number): Map<string, FieldValue> {
    const out = this.scratch;
    out.clear();
    for (const [name, r] of this.list) out.set(name, r.read(view, bytes, start, length));
    return out;
  }
}

/** The event id of a record: its common_type field (offset and size from any format: they share it). */
export function typeReader(anyFormat: EventFormat, littleEndian: boolean): (view: DataView, start: number, length: number) => number | null {
  const f = anyFormat.common.find((c) => c.name === 'common_type')!;
  return (view, start, length) => (f.offset + f.size > length ? null : readInt(view, start + f.offset, f.size, false, littleEndian));
}
