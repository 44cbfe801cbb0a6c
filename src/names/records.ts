/**
 * Records keyed by names users choose: inputs, dimensions, problems, targets, ids, points. A plain
 * object literal inherits `toString`, `constructor`, `hasOwnProperty`, `valueOf` from Object.prototype
 * and treats an assignment to `__proto__` as a change of prototype, so a student's target named
 * `toString` would look up a function and an input named `__proto__` would vanish. Records built here
 * have no prototype, and lookups here read own properties only, so every name is data.
 *
 * Build every record keyed by user names with `nameRecord` and read one that came from elsewhere
 * (JSON.parse, a YAML document, a message from a worker) with `ownValue` / `hasName`.
 */

/** A record with no prototype holding `entries` (later entries win). */
export function nameRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [name, value] of entries) record[name] = value;
  return record;
}

/** A prototype-free copy of `record` (own enumerable properties only) with `name` set to `value`. */
export function withName<T>(record: Readonly<Record<string, T>>, name: string, value: T): Record<string, T> {
  const copy = nameRecord(Object.entries(record));
  copy[name] = value;
  return copy;
}

/** Whether `record` holds `name` itself (never a property inherited from Object.prototype). */
export function hasName(record: object | undefined, name: string): boolean {
  return record !== undefined && record !== null && Object.hasOwn(record, name);
}

/** The value `record` holds under `name` itself, or undefined (never one inherited from Object.prototype). */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return hasName(record, name) ? record![name] : undefined;
}
