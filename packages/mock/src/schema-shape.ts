/**
 * Small, schema-driven helpers for the stateful mock: fit a stored resource to a response schema (keep
 * the properties the schema declares, fill required ones from the spec's example), give a new resource
 * the fields a server sets (required fields, timestamps, ids, nested ids such as tile ids), and make ids
 * of the same shape as the spec's. Unions are resolved to the branch the value belongs to.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { resolveRef, type Spec } from "./providers.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ObjectView {
  properties: Record<string, Spec>;
  required: Set<string>;
  /** `additionalProperties: false`: properties the schema does not declare are not sent. */
  closed: boolean;
}

/** The fixed value a branch demands for a property (`const`, or a one-value `enum`). */
function fixedValue(spec: Spec, schema: Spec | undefined): { value: unknown } | undefined {
  const s = resolveRef(spec, schema);
  if (!s) return undefined;
  if ("const" in s) return { value: s["const"] };
  if (Array.isArray(s["enum"]) && s["enum"].length === 1) return { value: s["enum"][0] };
  return undefined;
}

/** How well a value fits a union branch: -1 when a fixed property disagrees, else the matched fixed properties. */
export function branchFit(spec: Spec, branch: Spec, value: unknown): number {
  if (!isObject(value)) return 0;
  const view = objectView(spec, branch, undefined);
  let fit = 0;
  for (const [name, property] of Object.entries(view.properties)) {
    const fixed = fixedValue(spec, property);
    if (!fixed || !(name in value)) continue;
    if (JSON.stringify(fixed.value) !== JSON.stringify(value[name])) return -1;
    fit++;
  }
  for (const name of view.required) if (!(name in value)) fit -= 0.01; // prefer branches whose required fields are there
  return fit;
}

/** The union branch a value belongs to: the best fit by fixed (discriminating) properties. */
export function chooseBranch(spec: Spec, branches: Spec[], value: unknown): Spec | undefined {
  let best: Spec | undefined;
  let bestFit = -Infinity;
  for (const branch of branches) {
    const fit = branchFit(spec, branch, value);
    if (fit > bestFit) [best, bestFit] = [branch, fit];
  }
  return best;
}

/** An object schema's properties and required fields, with `allOf` merged and unions resolved for `value`. */
export function objectView(spec: Spec, schema: Spec | undefined, value: unknown, depth = 0): ObjectView {
  const view: ObjectView = { properties: {}, required: new Set(), closed: false };
  const s = resolveRef(spec, schema);
  if (!s || depth > 20) return view;
  Object.assign(view.properties, s["properties"] ?? {});
  for (const name of (s["required"] as string[] | undefined) ?? []) view.required.add(name);
  if (s["additionalProperties"] === false || s["unevaluatedProperties"] === false) view.closed = true;
  const parts: Spec[] = [...((s["allOf"] as Spec[] | undefined) ?? [])];
  const union = (s["oneOf"] ?? s["anyOf"]) as Spec[] | undefined;
  if (union) {
    const objects = union.filter((b) => resolveRef(spec, b)?.["type"] !== "null");
    const branch = value === undefined ? undefined : chooseBranch(spec, objects, value);
    if (branch) parts.push(branch);
  }
  for (const part of parts) {
    const inner = objectView(spec, part, value, depth + 1);
    Object.assign(view.properties, inner.properties);
    for (const name of inner.required) view.required.add(name);
    // Closed only if the branch that holds the properties is closed and nothing else adds any.
    if (inner.closed && Object.keys(s["properties"] ?? {}).length === 0 && parts.length === 1) view.closed = true;
  }
  return view;
}

function itemsOf(spec: Spec, schema: Spec | undefined): Spec | undefined {
  const s = resolveRef(spec, schema);
  if (!s) return undefined;
  if (s["items"]) return s["items"];
  for (const branch of (s["oneOf"] ?? s["anyOf"] ?? s["allOf"] ?? []) as Spec[]) {
    const items = itemsOf(spec, branch);
    if (items) return items;
  }
  return undefined;
}

/**
 * `value` as the response schema shapes it: undeclared properties dropped where the schema is closed,
 * required properties the value lacks taken from `template` (the spec's example for this answer).
 */
export function project(spec: Spec, value: unknown, schema: Spec | undefined, template: unknown, depth = 0): unknown {
  if (value === undefined) return structuredClone(template);
  if (!schema || depth > 30) return value;
  if (Array.isArray(value)) {
    const items = itemsOf(spec, schema);
    const first = Array.isArray(template) ? template[0] : undefined;
    return items ? value.map((v) => project(spec, v, items, first, depth + 1)) : value;
  }
  if (!isObject(value)) return value;
  const view = objectView(spec, schema, value);
  if (Object.keys(view.properties).length === 0 && view.required.size === 0) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (key in view.properties) out[key] = project(spec, v, view.properties[key], isObject(template) ? template[key] : undefined, depth + 1);
    else if (!view.closed) out[key] = v;
  }
  for (const key of view.required) if (!(key in out) && isObject(template) && key in template) out[key] = structuredClone(template[key]);
  return out;
}

// ---- ids and server-set fields ---------------------------------------------------------------------------

const OBJECT_ID = /^[0-9a-f]{24}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Counters per id field, so integer ids grow from the largest one seen. */
export class IdMaker {
  #next = new Map<string, number>();

  /** Remembers an existing id, so new integer ids never collide with it. */
  saw(field: string, id: unknown): void {
    const n = typeof id === "number" ? id : typeof id === "string" && /^\d{1,15}$/.test(id) ? Number(id) : undefined;
    if (n !== undefined && n >= (this.#next.get(field) ?? 1)) this.#next.set(field, n + 1);
  }

  /** A new id shaped like the schema says (integer, uuid, 24-hex ObjectId) or like the spec's example. */
  make(spec: Spec, field: string, schema: Spec | undefined, example: unknown): string | number {
    const s = resolveRef(spec, schema) ?? {};
    const types = ([] as unknown[]).concat(s["type"] ?? []);
    const hint = example ?? (Array.isArray(s["examples"]) ? s["examples"][0] : s["example"]);
    if (types.includes("integer") || types.includes("number") || (types.length === 0 && typeof hint === "number")) {
      this.saw(field, hint);
      const n = this.#next.get(field) ?? 1;
      this.#next.set(field, n + 1);
      return n;
    }
    if (s["format"] === "uuid" || (typeof hint === "string" && UUID.test(hint))) return randomUUID();
    const pattern = typeof s["pattern"] === "string" ? s["pattern"] : "";
    if (pattern.includes("{24}") || (typeof hint === "string" && OBJECT_ID.test(hint))) {
      // Like a Mongo ObjectId: seconds since the epoch, then random bytes.
      return Math.floor(Date.now() / 1000).toString(16).padStart(8, "0") + randomBytes(8).toString("hex");
    }
    if (typeof hint === "string" && /^\d+$/.test(hint)) {
      this.saw(field, hint);
      const n = this.#next.get(field) ?? 1;
      this.#next.set(field, n + 1);
      return String(n);
    }
    return randomUUID();
  }
}

const CREATED = /^(created|create)(_at|At|_time|Time)$/;
const UPDATED = /^(updated|update|modified)(_at|At|_time|Time)$/;

/** "now" in the timestamp's own form: ISO text for `date-time`, else seconds or milliseconds like the example. */
function now(spec: Spec, schema: Spec | undefined, example: unknown): unknown {
  const s = resolveRef(spec, schema) ?? {};
  const types = ([] as unknown[]).concat(s["type"] ?? []);
  const hint = example ?? (Array.isArray(s["examples"]) ? s["examples"][0] : undefined);
  if (s["format"] === "date-time" || types.includes("string") || typeof hint === "string") return new Date().toISOString();
  const ms = Date.now();
  return typeof hint === "number" && hint > 1e11 ? ms : Math.floor(ms / 1000);
}

/** A value for a required field nobody sent: the schema's default, the example's scalar, or an empty value. */
function emptyValue(spec: Spec, schema: Spec | undefined, example: unknown): unknown {
  const s = resolveRef(spec, schema) ?? {};
  if (s["default"] !== undefined) return structuredClone(s["default"]);
  const fixed = fixedValue(spec, s);
  if (fixed) return fixed.value;
  const types = ([] as unknown[]).concat(s["type"] ?? []);
  if (types.includes("null")) return null;
  if (example !== undefined && (example === null || typeof example !== "object")) return example;
  if (types.includes("array") || Array.isArray(example)) return [];
  if (types.includes("object") || isObject(example)) return {};
  if (types.includes("string")) return "";
  if (types.includes("integer") || types.includes("number")) return 0;
  if (types.includes("boolean")) return false;
  return null;
}

export interface FillContext {
  spec: Spec;
  ids: IdMaker;
  /** True on create: creation timestamps are set too. */
  creating: boolean;
  /** The resource's own id field, set by the caller; never generated here. */
  idField: string;
  /** Seeding: timestamps the fixture gives are kept. */
  seeding?: boolean;
}

/**
 * Adds what the server would: every required field the resource lacks, `created*`/`updated*` timestamps,
 * and ids of nested objects that need one (a dashboard's tiles). Recurses into objects and arrays.
 */
export function fillServerFields(ctx: FillContext, value: unknown, schema: Spec | undefined, example: unknown, depth = 0, top = true): unknown {
  if (!schema || depth > 30) return value;
  if (Array.isArray(value)) {
    const items = itemsOf(ctx.spec, schema);
    const first = Array.isArray(example) ? example[0] : undefined;
    return items ? value.map((v) => fillServerFields(ctx, v, items, first, depth + 1, false)) : value;
  }
  if (!isObject(value)) return value;
  const view = objectView(ctx.spec, schema, value);
  const ex = isObject(example) ? example : {};
  const out: Json = { ...value };
  for (const [key, property] of Object.entries(view.properties)) {
    if (top && key === ctx.idField) continue;
    if ((ctx.creating && CREATED.test(key)) || UPDATED.test(key)) {
      if (!(ctx.seeding && key in out)) out[key] = now(ctx.spec, property, ex[key]);
      continue;
    }
    if (key in out) {
      out[key] = fillServerFields(ctx, out[key], property, ex[key], depth + 1, false);
    } else if (view.required.has(key)) {
      out[key] = /^_?id$/.test(key) ? ctx.ids.make(ctx.spec, key, property, ex[key]) : emptyValue(ctx.spec, property, ex[key]);
    }
  }
  return out;
}
