/**
 * Every operation as a method grouped by resource, `client.incidents.list(init)`, beside the path
 * style. The generated metadata names each operation's method (`call: "incidents.list"`). The groups
 * are getters on one prototype per metadata table, shared by every client of the provider; a group's
 * functions are made on first use and kept on that client, so a client costs nothing for the
 * operations it never calls.
 */
import type { HttpMethod, OperationMetadata } from "./metadata.js";

export type Call = (method: HttpMethod, path: string, init?: Record<string, unknown>) => Promise<unknown>;

/** The method through which a client's method groups call: `client[CALL](method, path, init)`. */
export const CALL = Symbol("o11ykit.call");

type Caller = { [CALL]: Call };

/**
 * Defines the table's method groups as getters on `proto` (a prototype made once per table). A group
 * is built on first use and kept on the client it was read from.
 */
export function defineMethodGroups(proto: object, operations: Readonly<Record<string, OperationMetadata>>, reserved: ReadonlySet<string>): void {
  const groups = new Map<string, Map<string, OperationMetadata>>();
  for (const op of Object.values(operations)) {
    if (!op.call) continue;
    const dot = op.call.indexOf(".");
    const group = op.call.slice(0, dot);
    if (reserved.has(group)) continue; // never shadow the client's own methods
    const members = groups.get(group) ?? new Map<string, OperationMetadata>();
    members.set(op.call.slice(dot + 1), op);
    groups.set(group, members);
  }
  for (const [group, members] of groups) {
    Object.defineProperty(proto, group, {
      configurable: true,
      enumerable: false,
      get(this: Caller) {
        const methods: Record<string, (init?: Record<string, unknown>) => Promise<unknown>> = {};
        for (const [name, op] of members) methods[name] = (init) => this[CALL](op.method, op.path, init);
        Object.defineProperty(this, group, { value: Object.freeze(methods), enumerable: false });
        return methods;
      },
    });
  }
}
