/**
 * The stateful mock's memory: one collection of resources per `x-o11ykit-crud` collection of the spec.
 * Prism has already validated the request and produced the documented answer; this turns that answer
 * into the one a real server would give now: the created resource with its new id, the stored resource,
 * a page of the stored list in the provider's own pagination style, or the provider's not-found error.
 */
import { errorAnswer, notFoundAnswer } from "./error-bodies.js";
import {
  envelopeData,
  getPath,
  listItemsPath,
  pathParams,
  payloadOf,
  readCrudModel,
  setPath,
  type Collection,
  type CrudModel,
  type CrudOperation,
} from "./crud.js";
import { operationFor, resolveRef, type Spec } from "./providers.js";
import { IdMaker, fillServerFields, objectView, project } from "./schema-shape.js";

/** Resources to start from, by collection name (as the spec's `x-o11ykit-crud` names them). */
export type StateFixture = Record<string, Record<string, unknown>[]>;

export interface StateRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface StateAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PrismAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Resource = Record<string, unknown>;
const isObject = (v: unknown): v is Resource => typeof v === "object" && v !== null && !Array.isArray(v);

export class MockState {
  readonly #spec: Spec;
  readonly #model: CrudModel;
  readonly #initial: StateFixture;
  #ids = new IdMaker();
  #stores = new Map<string, Map<string, Resource>>();

  constructor(spec: Spec, seed: StateFixture = {}) {
    this.#spec = spec;
    this.#model = readCrudModel(spec);
    this.#initial = structuredClone(seed);
    this.reset();
  }

  /** The collections this spec declares, with the operations of each (for messages and the CLI). */
  get collections(): ReadonlyMap<string, Collection> {
    return this.#model.collections;
  }

  /** Back to the resources the mock started with (its `seed`), and nothing else. */
  reset(): void {
    this.#ids = new IdMaker();
    this.#stores = new Map([...this.#model.collections.keys()].map((name) => [name, new Map()]));
    this.seed(this.#initial);
  }

  /** Adds (or replaces, by id) resources. Missing ids and server-set fields are filled in. */
  seed(fixture: StateFixture): void {
    if (!isObject(fixture)) throw new Error(`a state fixture is an object of collection name → list of resources, got ${JSON.stringify(fixture)}`);
    for (const [name, resources] of Object.entries(fixture)) {
      const collection = this.#collection(name);
      if (!Array.isArray(resources)) throw new Error(`fixture \`${name}\` must be a list of resources`);
      for (const resource of resources) {
        if (!isObject(resource)) throw new Error(`fixture \`${name}\` holds ${JSON.stringify(resource)}; each resource must be an object`);
        if (resource[collection.idField] !== undefined) this.#ids.saw(collection.idField, resource[collection.idField]);
      }
      for (const resource of resources) {
        const filled = this.#fill(collection, structuredClone(resource), true, true);
        this.#store(name).set(String(filled[collection.idField]), filled);
      }
    }
  }

  /** Every stored resource, by collection. */
  snapshot(): StateFixture {
    return Object.fromEntries([...this.#stores].map(([name, store]) => [name, structuredClone([...store.values()])]));
  }

  #collection(name: string): Collection {
    const collection = this.#model.collections.get(name);
    if (!collection) {
      const known = [...this.#model.collections.keys()];
      throw new Error(`no collection \`${name}\` in this spec; its x-o11ykit-crud collections are ${known.join(", ") || "none"}`);
    }
    return collection;
  }

  #store(name: string): Map<string, Resource> {
    return this.#stores.get(name)!;
  }

  #fill(collection: Collection, resource: Resource, creating: boolean, seeding = false): Resource {
    const ctx = { spec: this.#spec, ids: this.#ids, creating, idField: collection.idField, seeding };
    if (resource[collection.idField] === undefined) {
      const idSchema = objectView(this.#spec, collection.schema, resource).properties[collection.idField];
      resource[collection.idField] = this.#ids.make(this.#spec, collection.idField, idSchema, (collection.example as Resource | undefined)?.[collection.idField]);
    }
    return fillServerFields(ctx, resource, collection.schema, collection.example) as Resource;
  }

  /** The answer from state for a request Prism accepted, or undefined when the operation is not CRUD. */
  answer(request: StateRequest, prism: PrismAnswer): StateAnswer | undefined {
    const op = operationFor(this.#spec, request.method, request.path);
    const crud = op && this.#model.byOperation.get(op.key);
    if (!crud) return undefined;
    const collection = this.#model.collections.get(crud.collection)!;
    const store = this.#store(crud.collection);
    let template: unknown;
    try {
      template = prism.body ? JSON.parse(prism.body) : undefined;
    } catch {
      template = undefined;
    }
    const body = isObject(request.body) ? request.body : {};

    if (crud.role === "create") {
      // The server chooses the id, whatever the body says.
      const resource: Resource = { ...structuredClone(body), ...structuredClone(crud.set) };
      delete resource[collection.idField];
      const created = this.#fill(collection, resource, true);
      store.set(String(created[collection.idField]), created);
      return this.#reply(crud, prism, template, created);
    }
    if (crud.role === "list") return this.#list(crud, request, prism, template, [...store.values()]);

    const id = this.#idOf(crud, request, body);
    const existing = id === undefined ? undefined : store.get(String(id));
    if (!existing) {
      const message = `${crud.collection} ${id === undefined ? "(no id given)" : String(id)} not found`;
      const notFound = notFoundAnswer(this.#spec, crud.op.key, message);
      if (!notFound && crud.role === "delete") return undefined; // documented as idempotent: the server answers success
      const answer = notFound ?? errorAnswer(this.#spec, crud.op.key, 404, undefined, message);
      return { status: answer.status, headers: { "content-type": answer.contentType, ...answer.headers }, body: answer.body };
    }
    if (crud.role === "delete") {
      store.delete(String(id));
      return undefined; // Prism's documented answer is the answer
    }
    if (crud.role === "update") {
      const merged = { ...existing, ...structuredClone(body), ...structuredClone(crud.set), [collection.idField]: existing[collection.idField] };
      const updated = this.#fill(collection, merged, false);
      store.set(String(id), updated);
      return this.#reply(crud, prism, template, updated);
    }
    return this.#reply(crud, prism, template, existing);
  }

  #idOf(crud: CrudOperation, request: StateRequest, body: Resource): unknown {
    const at = crud.id!;
    if (at.in === "body") return body[at.name];
    if (at.in === "query") return request.query.get(at.name) ?? undefined;
    if (at.in === "path") return pathParams(crud.pathPattern, request.path)[at.name];
    return undefined;
  }

  /** Prism's answer with the payload replaced (inside the envelope when there is one). */
  #wrap(crud: CrudOperation, template: unknown, payload: unknown): unknown {
    const data = crud.unwrapped ? undefined : envelopeData(this.#spec);
    if (!data) return payload;
    const body = isObject(template) ? structuredClone(template) : {};
    body[data] = payload;
    return body;
  }

  #payloadTemplate(crud: CrudOperation, template: unknown): unknown {
    const data = crud.unwrapped ? undefined : envelopeData(this.#spec);
    return data ? (template as Resource | undefined)?.[data] : template;
  }

  #reply(crud: CrudOperation, prism: PrismAnswer, template: unknown, resource: Resource): StateAnswer {
    const { schema } = payloadOf(this.#spec, crud);
    const payload = project(this.#spec, structuredClone(resource), schema, this.#payloadTemplate(crud, template));
    return this.#json(prism, prism.status, this.#wrap(crud, template, payload));
  }

  #json(prism: PrismAnswer, status: number, body: unknown, headers: Record<string, string> = {}): StateAnswer {
    const kept = Object.fromEntries(Object.entries(prism.headers).filter(([k]) => !["content-length", "transfer-encoding", "content-type"].includes(k)));
    return { status, headers: { ...kept, "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
  }

  #list(crud: CrudOperation, request: StateRequest, prism: PrismAnswer, template: unknown, all: Resource[]): StateAnswer {
    const spec = this.#spec;
    const operation = spec["paths"][crud.op.path][crud.op.method.toLowerCase()];
    const pagination = operation["x-o11ykit-pagination"] as Record<string, any> | undefined;
    const params: Resource = { ...Object.fromEntries(request.query), ...(isObject(request.body) ? request.body : {}) };

    let matching = all;
    for (const [param, field] of Object.entries(crud.filters)) {
      const wanted = params[param];
      if (wanted === undefined || wanted === "" || wanted === null) continue;
      const accepted = (Array.isArray(wanted) ? wanted : [wanted]).map(String);
      matching = matching.filter((r) => accepted.includes(String(r[field])));
    }

    // The list's payload: its schema, the item schema, and the spec's example as the frame.
    const { schema } = payloadOf(spec, crud);
    const itemsPath = listItemsPath(spec, crud);
    let itemsSchema = resolveRef(spec, schema);
    if (itemsPath) for (const key of itemsPath.split(".")) itemsSchema = resolveRef(spec, objectView(spec, itemsSchema, undefined).properties[key]);
    const frame = this.#payloadTemplate(crud, template);
    const exampleItems = itemsPath ? getPath(frame, itemsPath) : frame;
    const project1 = (r: Resource) => project(spec, structuredClone(r), itemsSchema?.["items"], Array.isArray(exampleItems) ? exampleItems[0] : undefined);
    const payloadWith = (items: Resource[]): unknown => {
      if (!itemsPath) return items.map(project1);
      const payload = isObject(frame) ? structuredClone(frame) : {};
      setPath(payload, itemsPath, items.map(project1));
      return payload;
    };

    const total = matching.length;
    const number = (value: unknown, fallback: number) => (value === undefined || value === "" || Number.isNaN(Number(value)) ? fallback : Number(value));
    const limitDefault = (name: string | undefined) => (name ? this.#paramDefault(crud, name) : undefined) ?? pagination?.["maxLimit"] ?? total;

    if (pagination?.["style"] === "page") {
      const limit = Math.max(1, number(params[pagination["limitParam"]], limitDefault(pagination["limitParam"]) || 1));
      const page = Math.max(1, number(params[pagination["pageParam"]], 1));
      const payload = payloadWith(matching.slice((page - 1) * limit, page * limit)) as Resource;
      if (pagination["total"]) setPath(payload, pagination["total"], total);
      if (pagination["hasMore"]) setPath(payload, pagination["hasMore"], page * limit < total);
      return this.#json(prism, prism.status, this.#wrap(crud, template, payload));
    }
    if (pagination?.["style"] === "offset") {
      const limit = Math.max(1, number(params[pagination["limitParam"]], limitDefault(pagination["limitParam"]) || 1));
      const offset = Math.max(0, number(params[pagination["offsetParam"]], 0));
      const body = this.#wrap(crud, template, payloadWith(matching.slice(offset, offset + limit)));
      // Page fields beside the payload (ClickStack's `meta: {total, limit, offset}`) tell the truth too.
      this.#patchFields(body, envelopeData(spec), { total, [pagination["limitParam"]]: limit, [pagination["offsetParam"]]: offset });
      const headers: Record<string, string> = pagination["totalHeader"] ? { [String(pagination["totalHeader"]).toLowerCase()]: String(total) } : {};
      return this.#json(prism, prism.status, body, headers);
    }
    if ((pagination?.["style"] === "cursor" || pagination?.["style"] === "token") && (crud.cursorParam || pagination["tokenParam"])) {
      const cursorParam = crud.cursorParam ?? pagination["tokenParam"];
      const limitParam = crud.limitParam ?? pagination["limitParam"];
      const cursor = params[cursorParam];
      const offset = decodeCursor(cursor);
      const limit = Math.max(1, number(limitParam ? params[limitParam] : undefined, limitDefault(limitParam) || 1));
      const payload = payloadWith(matching.slice(offset, offset + limit)) as Resource;
      const more = offset + limit < total;
      if (pagination["style"] === "cursor") {
        const query = new URLSearchParams(request.query);
        query.set(cursorParam, encodeCursor(offset + limit));
        if (limitParam) query.set(limitParam, String(limit));
        this.#patchFields(payload, itemsPath, { [cursorParam]: typeof cursor === "string" ? cursor : "", ...(limitParam ? { [limitParam]: limit } : {}) });
        setPath(payload, pagination["nextPage"], more ? `${request.path}?${query}` : null);
      } else {
        setPath(payload, pagination["nextToken"], more ? encodeCursor(offset + limit) : "");
        if (pagination["hasMore"]) setPath(payload, pagination["hasMore"], more);
        if (pagination["total"]) setPath(payload, pagination["total"], total);
      }
      return this.#json(prism, prism.status, this.#wrap(crud, template, payload));
    }
    return this.#json(prism, prism.status, this.#wrap(crud, template, payloadWith(matching)));
  }

  /** A parameter's documented default (query parameter, or body property). */
  #paramDefault(crud: CrudOperation, name: string): number | undefined {
    const spec = this.#spec;
    const item = spec["paths"][crud.op.path];
    const operation = item[crud.op.method.toLowerCase()];
    for (const raw of [...(item["parameters"] ?? []), ...(operation["parameters"] ?? [])]) {
      const p = resolveRef(spec, raw);
      if (p?.["name"] === name) {
        const schema = resolveRef(spec, p["schema"]);
        return schema?.["default"] ?? schema?.["maximum"];
      }
    }
    const body = resolveRef(spec, operation["requestBody"]);
    const schema = (Object.values((body?.["content"] ?? {}) as Record<string, Spec>)[0] ?? {})["schema"];
    const property = objectView(spec, schema, undefined).properties[name];
    const p = property ? { ...resolveRef(spec, property), ...property } : undefined;
    return p?.["default"] ?? resolveRef(spec, p)?.["default"];
  }

  /** Sets fields with these names anywhere in `body`, except under `skip` (the items or the payload). */
  #patchFields(body: unknown, skip: string | undefined, values: Record<string, unknown>): void {
    const walk = (node: unknown, depth: number) => {
      if (!isObject(node) || depth > 6) return;
      for (const [key, value] of Object.entries(node)) {
        if (depth === 0 && key === skip) continue;
        if (key in values) node[key] = values[key];
        else walk(value, depth + 1);
      }
    };
    walk(body, 0);
  }
}

/** Cursors are opaque to clients; here they carry the offset of the next page. */
function encodeCursor(offset: number): string {
  return Buffer.from(`o11ykit:${offset}`).toString("base64url");
}
function decodeCursor(cursor: unknown): number {
  if (typeof cursor !== "string" || cursor === "") return 0;
  const match = /^o11ykit:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString());
  return match ? Number(match[1]) : 0;
}
