// Typed access to one record's fields: every wrong or missing value becomes an ImportError that names the file,
// the line (or record) and the field's full path, e.g. `conversation_a[1].content`.
import { isPlainObject } from './source';
import { ImportError, quote, type ImportLocationUnit } from './types';

/** Where a record sits in its file. */
export interface Where {
  file: string;
  unit: ImportLocationUnit;
  at: number;
}

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** A value for a message: text quoted and cut short, numbers and flags as written, anything else by its type. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return describe(v);
}

export class Fields {
  constructor(
    readonly where: Where,
    readonly data: Record<string, unknown>,
    private readonly path = '',
  ) {}

  /** A record's fields, placed for error messages by the file, the source's unit and the record's line or position. */
  static ofRecord(file: string, source: { unit: Where['unit'] }, record: { at: number; fields: Record<string, unknown> }): Fields {
    return new Fields({ file, unit: source.unit, at: record.at }, record.fields);
  }

  fail(detail: string, name?: string): never {
    const { file, at, unit } = this.where;
    const field = name === undefined ? (this.path || undefined) : this.path ? `${this.path}.${name}` : name;
    throw new ImportError(file, detail, at, field, unit);
  }

  /** Absent, null, or (as CSV has no null) an empty string. */
  isBlank(name: string): boolean {
    const v = this.data[name];
    return v === undefined || v === null || v === '';
  }

  private required(name: string): unknown {
    const v = this.data[name];
    if (v === undefined || v === null) this.fail('missing', name);
    return v;
  }

  string(name: string): string {
    const v = this.required(name);
    if (typeof v !== 'string') this.fail(`expected text, found ${describe(v)}`, name);
    return v;
  }

  optString(name: string): string | null {
    return this.isBlank(name) ? null : this.string(name);
  }

  /** An id may come as text or as a number. */
  id(name: string): string {
    const v = this.required(name);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v !== 'string' || v.trim() === '') this.fail(`expected a non-empty id, found ${describe(v)}`, name);
    return v;
  }

  optBoolean(name: string): boolean | null {
    const v = this.data[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'boolean') this.fail(`expected true or false, found ${describe(v)}`, name);
    return v;
  }

  optInteger(name: string): number | null {
    const v = this.data[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`expected an integer, found ${shown(v)}`, name);
    return v;
  }

  object(name: string): Fields {
    const v = this.required(name);
    if (!isPlainObject(v)) this.fail(`expected an object, found ${describe(v)}`, name);
    return this.child(name, v);
  }

  optObject(name: string): Fields | null {
    const v = this.data[name];
    return v === undefined || v === null ? null : this.object(name);
  }

  array(name: string): unknown[] {
    const v = this.required(name);
    if (!Array.isArray(v)) this.fail(`expected a list, found ${describe(v)}`, name);
    return v;
  }

  /** The objects of a list field, each readable with its index in the path. */
  objects(name: string): Fields[] {
    return this.array(name).map((v, i) => {
      if (!isPlainObject(v)) this.fail(`expected an object, found ${describe(v)}`, `${name}[${i}]`);
      return this.child(`${name}[${i}]`, v);
    });
  }

  /** The texts of a list field. */
  strings(name: string): string[] {
    return this.array(name).map((v, i) => {
      if (typeof v !== 'string') this.fail(`expected text, found ${describe(v)}`, `${name}[${i}]`);
      return v;
    });
  }

  /** Other data read at this field's place: values the file groups otherwise, regrouped (messages still name this field). */
  reshaped(data: Record<string, unknown>): Fields {
    return new Fields(this.where, data, this.path);
  }

  private child(name: string, data: Record<string, unknown>): Fields {
    return new Fields(this.where, data, this.path ? `${this.path}.${name}` : name);
  }
}
