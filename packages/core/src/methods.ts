/**
 * Every operation as a method grouped by resource, `client.incidents.list(init)`, beside the path
 * style. The generated metadata names each operation's method (`call: "incidents.list"`). The groups
 * are getters on one prototype per metadata table, shared by every client of the provider; a group's
 * functions are made on first use and kept on that client, so a client costs nothing for the
 * operations it never calls.
 */
import type { HttpMethod, OperationMetadata } from "./metadata.js";

export type Call = (method: HttpMethod, path: string, init?: Record<string, unknown>) => Promise<unknown>;

/** Where a client keeps the function its methods call. */
export const CALL = Symbol("o11ykit.call");

const prototypes = new WeakMap<object, object>();

/** The prototype whose getters hold the table's method groups (one per table, made once). */
export function methodsPrototype(operations: Readonly<Record<string, OperationMetadata>>, reserved: readonly string[]): object {
  let proto = prototypes.get(operations);
  if (proto) return proto;
  const groups = new Map<string, Map<string, OperationMetadata>>();
  for (const op of Object.values(operations)) {
    if (!op.call) continue;
    const dot = op.call.indexOf(".");
    const group = op.call.slice(0, dot);
    if (reserved.includes(group)) continue; // never shadow the client's own methods
    const members = groups.get(group) ?? new Map<string, OperationMetadata>();
    members.set(op.call.slice(dot + 1), op);
    groups.set(group, members);
  }
  proto = {};
  for (const [group, members] of groups) {
    Object.defineProperty(proto, group, {
      configurable: true,
      enumerable: false,
      get(this: { [CALL]: Call }) {
        const call = this[CALL];
        const methods: Record<string, (init?: Record<string, unknown>) => Promise<unknown>> = {};
        for (const [name, op] of members) methods[name] = (init) => call(op.method, op.path, init);
        Object.defineProperty(this, group, { value: Object.freeze(methods), enumerable: false });
        return methods;
      },
    });
  }
  prototypes.set(operations, proto);
  return proto;
}
