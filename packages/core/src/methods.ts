/**
 * Every operation as a method grouped by resource, `client.incidents.list(init)`, beside the path
 * style. The generated metadata names each operation's method (`call: "incidents.list"`); a group's
 * functions are made on first use, so operations a program never calls cost nothing per client.
 */
import type { HttpMethod, OperationMetadata } from "./metadata.js";

type Call = (method: HttpMethod, path: string, init?: Record<string, unknown>) => Promise<unknown>;

/** group → (name → operation), once per metadata table. */
const groupsByTable = new WeakMap<object, Map<string, Map<string, OperationMetadata>>>();

function groupsOf(operations: Readonly<Record<string, OperationMetadata>>): Map<string, Map<string, OperationMetadata>> {
  let groups = groupsByTable.get(operations);
  if (!groups) {
    groups = new Map();
    for (const op of Object.values(operations)) {
      if (!op.call) continue;
      const dot = op.call.indexOf(".");
      const group = op.call.slice(0, dot);
      const members = groups.get(group) ?? new Map<string, OperationMetadata>();
      members.set(op.call.slice(dot + 1), op);
      groups.set(group, members);
    }
    groupsByTable.set(operations, groups);
  }
  return groups;
}

export function attachMethods(client: Record<string, unknown>, operations: Readonly<Record<string, OperationMetadata>>, call: Call): void {
  for (const [group, members] of groupsOf(operations)) {
    if (group in client) continue; // never shadow the client's own methods
    Object.defineProperty(client, group, {
      configurable: true,
      enumerable: false,
      get() {
        const methods: Record<string, (init?: Record<string, unknown>) => Promise<unknown>> = {};
        for (const [name, op] of members) methods[name] = (init) => call(op.method, op.path, init);
        Object.defineProperty(client, group, { value: Object.freeze(methods), enumerable: false });
        return methods;
      },
    });
  }
}
