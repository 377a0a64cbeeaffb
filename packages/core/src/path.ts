/** Reads a dotted property path (`metadata.pagination.nextPage`) out of a parsed payload. */
export function valueAt(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}
