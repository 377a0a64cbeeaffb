/**
 * Reads `x-o11ykit-crud` (specs/EXTENSIONS.md) from a bundled spec: which operations create, read, list,
 * update and delete which collection, where each finds the id, and what the stored resource looks like
 * (the read operation's response schema and example). The stateful mock is driven by this alone.
 */
import { operationsOf, pathMatcher, resolveRef, type MockOperation, type Spec } from "./providers.js";

export type CrudRole = "create" | "read" | "list" | "update" | "delete";
export type IdLocation = { in: "body" | "path" | "query" | "response"; name: string };

export interface CrudOperation {
  op: MockOperation;
  collection: string;
  role: CrudRole;
  id?: IdLocation;
  /** List only: request field or query parameter → stored field it must equal. */
  filters: Record<string, string>;
  /** Cursor-paginated lists: the query parameters carrying the cursor and the page size. */
  cursorParam?: string;
  limitParam?: string;
  /** Update only: fields the operation sets (e.g. `{status: disabled}` for a disable call). */
  set: Record<string, unknown>;
  /** Matches a request path and captures its path parameters. */
  pathPattern: RegExp;
  /** The operation's answer is not wrapped in the document's envelope. */
  unwrapped: boolean;
}

export interface Collection {
  name: string;
  /** The stored resource's id field: the `name` of the create operation's `{in: response}` id. */
  idField: string;
  /** Schema and example of one stored resource, from the read operation (or a list item). */
  schema: Spec | undefined;
  example: unknown;
  operations: CrudOperation[];
}

export interface CrudModel {
  byOperation: Map<string, CrudOperation>;
  collections: Map<string, Collection>;
}

const ROLES: readonly CrudRole[] = ["create", "read", "list", "update", "delete"];

/** The payload property of the document's envelope, if the provider wraps its answers. */
export function envelopeData(spec: Spec): string | undefined {
  const env = spec["x-o11ykit-envelope"] as { data?: string } | undefined;
  return env?.data;
}

/** Property path (`metadata.pagination.nextPage`) lookup and assignment. */
export function getPath(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);
}
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** A path template as a regex with one named group per parameter. */
function capturingMatcher(template: string): RegExp {
  const names: string[] = [];
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return `(?<p${names.length - 1}>[^/]+)`;
  });
  const regex = new RegExp(`^${escaped}/?$`);
  (regex as RegExp & { paramNames?: string[] }).paramNames = names;
  return regex;
}

export function pathParams(pattern: RegExp, path: string): Record<string, string> {
  const match = pattern.exec(path);
  const names = (pattern as RegExp & { paramNames?: string[] }).paramNames ?? [];
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match?.groups?.[`p${i}`] ?? "")]));
}

/** The 2xx JSON response of an operation: its schema and first example, both as the spec has them. */
export function successResponse(spec: Spec, op: MockOperation): { status: number; schema: Spec | undefined; example: unknown } | undefined {
  const responses = (spec["paths"]?.[op.path]?.[op.method.toLowerCase()]?.["responses"] ?? {}) as Record<string, Spec>;
  const status = Object.keys(responses).find((s) => /^2\d\d$/.test(s));
  if (!status) return undefined;
  const response = resolveRef(spec, responses[status]);
  const media = (response?.["content"]?.["application/json"] ?? undefined) as Spec | undefined;
  if (!media) return { status: Number(status), schema: undefined, example: undefined };
  let example: unknown = media["example"];
  if (example === undefined && media["examples"]) example = resolveRef(spec, Object.values(media["examples"] as Spec)[0] as Spec)?.["value"];
  return { status: Number(status), schema: media["schema"] as Spec | undefined, example };
}

/** The payload's schema and example inside a response (under the envelope's `data` property unless unwrapped). */
export function payloadOf(spec: Spec, op: CrudOperation): { schema: Spec | undefined; example: unknown } {
  const response = successResponse(spec, op.op);
  const data = op.unwrapped ? undefined : envelopeData(spec);
  if (!response) return { schema: undefined, example: undefined };
  if (!data) return { schema: response.schema, example: response.example };
  const schema = resolveRef(spec, response.schema);
  return { schema: schema?.["properties"]?.[data] as Spec | undefined, example: (response.example as Record<string, unknown> | undefined)?.[data] };
}

function invalid(op: MockOperation, message: string): Error {
  return new Error(`x-o11ykit-crud on ${op.key}: ${message}`);
}

export function readCrudModel(spec: Spec): CrudModel {
  const byOperation = new Map<string, CrudOperation>();
  const grouped = new Map<string, CrudOperation[]>();
  for (const op of operationsOf(spec)) {
    const raw = spec["paths"][op.path][op.method.toLowerCase()]["x-o11ykit-crud"] as Spec | undefined;
    if (!raw) continue;
    if (!ROLES.includes(raw["role"])) throw invalid(op, `role must be one of ${ROLES.join(", ")}`);
    const crud: CrudOperation = {
      op,
      collection: String(raw["collection"]),
      role: raw["role"],
      id: raw["id"],
      filters: raw["filters"] ?? {},
      cursorParam: raw["cursorParam"],
      limitParam: raw["limitParam"],
      set: raw["set"] ?? {},
      pathPattern: capturingMatcher(op.path),
      unwrapped: spec["paths"][op.path][op.method.toLowerCase()]["x-o11ykit-envelope"] === "none",
    };
    if (crud.role !== "list" && !crud.id) throw invalid(op, "`id` is required (where the operation finds the resource's id)");
    byOperation.set(op.key, crud);
    grouped.set(crud.collection, [...(grouped.get(crud.collection) ?? []), crud]);
  }

  const collections = new Map<string, Collection>();
  for (const [name, operations] of grouped) {
    const idSource = operations.find((o) => o.id?.in === "response");
    if (!idSource) {
      throw new Error(`x-o11ykit-crud collection "${name}": no operation says which response field is the id (give its create \`id: {in: response, name: <field>}\`)`);
    }
    const read = operations.find((o) => o.role === "read");
    const list = operations.find((o) => o.role === "list");
    let schema: Spec | undefined;
    let example: unknown;
    if (read) ({ schema, example } = payloadOf(spec, read));
    else if (list) ({ schema, example } = listItemOf(spec, list));
    else ({ schema, example } = payloadOf(spec, idSource));
    collections.set(name, { name, idField: idSource.id!.name, schema, example, operations });
  }
  return { byOperation, collections };
}

/** Where a list's items are inside its payload: the pagination's `items` path, or the payload itself. */
export function listItemsPath(spec: Spec, list: CrudOperation): string | undefined {
  const pagination = spec["paths"][list.op.path][list.op.method.toLowerCase()]["x-o11ykit-pagination"] as Spec | undefined;
  return pagination?.["items"];
}

function listItemOf(spec: Spec, list: CrudOperation): { schema: Spec | undefined; example: unknown } {
  const { schema, example } = payloadOf(spec, list);
  const itemsPath = listItemsPath(spec, list);
  let arraySchema = resolveRef(spec, schema);
  let items = example;
  if (itemsPath) {
    for (const key of itemsPath.split(".")) arraySchema = resolveRef(spec, arraySchema?.["properties"]?.[key]);
    items = getPath(example, itemsPath);
  }
  return { schema: arraySchema?.["items"], example: Array.isArray(items) ? items[0] : undefined };
}

export { pathMatcher };
