/**
 * Says what was wrong with a request Prism rejected, in words a test failure can act on: the field and
 * the rule ("body.edge_cluster_name: is required"). Prism's own `sl-violations` header lists every branch
 * of a union body (and is cut off when long), so the body is checked again here against the one branch
 * the request meant — the branch whose fixed fields (`type_ident: prometheus`) it matches.
 */
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { resolveRef, type Spec } from "./providers.js";
import { branchFit, objectView } from "./schema-shape.js";

const require = createRequire(import.meta.url);
const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
const addFormats = require("ajv-formats") as (ajv: InstanceType<typeof Ajv2020>) => void;

interface PrismViolation {
  location?: (string | number)[];
  severity?: string;
  message?: string;
}

/** Prism's `sl-violations` header: JSON, possibly prefixed "Too many violations!" and cut mid-item. */
export function parseViolations(header: string | undefined | null): PrismViolation[] {
  if (!header) return [];
  const text = header.slice(header.indexOf("["));
  try {
    return JSON.parse(text) as PrismViolation[];
  } catch {
    // Cut off: keep the complete items.
    for (let end = text.lastIndexOf("},"); end > 0; end = text.lastIndexOf("},", end - 1)) {
      try {
        return JSON.parse(`${text.slice(0, end + 1)}]`) as PrismViolation[];
      } catch {
        /* try an earlier boundary */
      }
    }
    return [];
  }
}

const isError = (v: PrismViolation) => (v.severity ?? "Error") === "Error";

/** Rewrites `$ref: "#/…"` to point into the spec registered as "spec", so a fragment compiles alone. */
function absolutize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absolutize);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#") ? `spec${v}` : absolutize(v)]),
  );
}

const validators = new WeakMap<Spec, InstanceType<typeof Ajv2020>>();

function ajvFor(spec: Spec): InstanceType<typeof Ajv2020> {
  let ajv = validators.get(spec);
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "spec", components: absolutize(spec["components"] ?? {}) });
    validators.set(spec, ajv);
  }
  return ajv;
}

/** Validates once against a schema made for this request, and forgets the compiled schema after. */
function errorsAgainst(spec: Spec, schema: Spec, value: unknown): ErrorObject[] {
  const ajv = ajvFor(spec);
  const compiled = absolutize(schema) as object;
  const validate: ValidateFunction = ajv.compile(compiled);
  validate(value);
  ajv.removeSchema(compiled);
  return validate.errors ?? [];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The schema as it applies to this value: every union met along the value's structure is replaced by
 * the branch the value meant (the one its fixed fields select, and among equals the one it comes closest
 * to), and array items each get their own. Validating against it reports only the intended branch.
 */
function narrow(spec: Spec, schema: Spec | undefined, value: unknown, depth = 0): Spec {
  const s = resolveRef(spec, schema);
  if (!s || typeof s !== "object" || depth > 40 || value === undefined) return schema ?? {};
  const union = (s["oneOf"] ?? s["anyOf"]) as Spec[] | undefined;
  if (union) {
    const { oneOf: _o, anyOf: _a, discriminator: _d, ...rest } = s;
    const base = narrow(spec, rest, value, depth + 1);
    const fits = union.map((branch) => branchFit(spec, branch, value));
    const best = Math.max(...fits);
    if (best < 0) {
      // No branch takes the discriminating value: say which values there are.
      const fixed = fixedFieldSchema(spec, union, value);
      return fixed ? { allOf: [base, fixed] } : s;
    }
    const candidates = union.filter((_, i) => fits[i] === best).map((branch) => narrow(spec, branch, value, depth + 1));
    let chosen = candidates[0]!;
    if (candidates.length > 1) {
      let fewest = Infinity;
      for (const candidate of candidates) {
        const count = errorsAgainst(spec, candidate, value).length;
        if (count < fewest) [fewest, chosen] = [count, candidate];
      }
    }
    return { allOf: [base, chosen] };
  }
  const out: Spec = { ...s };
  if (Array.isArray(s["allOf"])) out["allOf"] = (s["allOf"] as Spec[]).map((part) => narrow(spec, part, value, depth + 1));
  if (isPlainObject(s["properties"]) && isPlainObject(value)) {
    out["properties"] = Object.fromEntries(
      Object.entries(s["properties"] as Record<string, Spec>).map(([key, property]) => [key, key in value ? narrow(spec, property, value[key], depth + 1) : property]),
    );
  }
  if (s["items"] && Array.isArray(value) && !s["prefixItems"]) out["prefixItems"] = value.map((item) => narrow(spec, s["items"] as Spec, item, depth + 1));
  return out;
}

/** For a value no branch accepts: the fixed fields it got wrong, as an enum of the values there are. */
function fixedFieldSchema(spec: Spec, branches: Spec[], value: unknown): Spec | undefined {
  const values = new Map<string, unknown[]>();
  for (const branch of branches) {
    for (const [name, property] of Object.entries(objectView(spec, branch, undefined).properties)) {
      const p = resolveRef(spec, property);
      if (p && "const" in p && !(values.get(name) ?? []).some((v) => JSON.stringify(v) === JSON.stringify(p["const"]))) values.set(name, [...(values.get(name) ?? []), p["const"]]);
    }
  }
  const sent = isPlainObject(value) ? value : {};
  const wrong = [...values].filter(([name, allowed]) => name in sent && !allowed.some((v) => JSON.stringify(v) === JSON.stringify(sent[name])));
  return wrong.length ? { properties: Object.fromEntries(wrong.map(([name, allowed]) => [name, { enum: allowed }])) } : undefined;
}

function describe(error: ErrorObject, where: string): string {
  const path = `${where}${error.instancePath.replace(/\//g, ".")}`;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${path}.${String(p["missingProperty"])}: is required`;
    case "additionalProperties":
      return `${path}.${String(p["additionalProperty"])}: is not a field the API accepts here`;
    case "const":
      return `${path}: must be ${JSON.stringify(p["allowedValue"])}`;
    case "enum":
      return `${path}: must be one of ${(p["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `${path}: ${error.message ?? error.keyword}`;
  }
}

/** A field the body has but the schema lacks, spelled close to a required one it misses: a likely typo. */
function typoHint(missing: string, body: Record<string, unknown>, known: Set<string>): string | undefined {
  const near = Object.keys(body).find((k) => !known.has(k) && (missing.startsWith(k) || k.startsWith(missing) || distance(k, missing) <= 2));
  return near ? ` (the body has \`${near}\`: did you mean \`${missing}\`?)` : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

/** The body's problems against the branches of its unions that it meant. */
function bodyProblems(spec: Spec, schema: Spec, body: unknown): string[] {
  const narrowed = narrow(spec, schema, body);
  const errors = errorsAgainst(spec, narrowed, body);
  const known = new Set(Object.keys(objectView(spec, narrowed, body).properties));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const error of errors) {
    if (error.keyword === "oneOf" || error.keyword === "anyOf" || error.keyword === "if") continue;
    let text = describe(error, "body");
    if (error.keyword === "required" && error.instancePath === "" && isPlainObject(body)) {
      text += typoHint(String((error.params as Record<string, unknown>)["missingProperty"]), body, known) ?? "";
    }
    if (!seen.has(text)) problems.push(text), seen.add(text);
  }
  return problems;
}

function requestBodySchema(spec: Spec, operationKey: string): Spec | undefined {
  const [method, path] = [operationKey.slice(0, operationKey.indexOf(" ")).toLowerCase(), operationKey.slice(operationKey.indexOf(" ") + 1)];
  const requestBody = resolveRef(spec, spec["paths"]?.[path]?.[method]?.["requestBody"]);
  const media = Object.entries((requestBody?.["content"] ?? {}) as Record<string, Spec>).find(([type]) => type.includes("json"))?.[1];
  return media?.["schema"] as Spec | undefined;
}

/**
 * One line naming every problem of a rejected request: the body's from its intended branch, the
 * parameters' and headers' from Prism. Undefined when Prism reported nothing to explain.
 */
export function explainRejection(spec: Spec, operationKey: string | undefined, header: string | undefined | null, body: unknown): string | undefined {
  const violations = parseViolations(header).filter(isError);
  if (violations.length === 0) return undefined;
  const problems: string[] = [];
  const bodySchema = operationKey ? requestBodySchema(spec, operationKey) : undefined;
  const bodyFlagged = violations.some((v) => v.location?.[1] === "body");
  if (bodyFlagged && bodySchema && operationKey) {
    try {
      problems.push(...bodyProblems(spec, bodySchema, body));
    } catch {
      /* a schema this validator cannot compile: fall back to Prism's words below */
    }
  }
  const seen = new Set(problems);
  for (const v of violations) {
    if (v.location?.[1] === "body" && problems.length > 0) continue;
    const where = (v.location ?? []).slice(1).join(".");
    const text = `${where || "request"}: ${(v.message ?? "is invalid").replace(/^Request (body|query|path|header)s?( property \S+)? /, "")}`;
    if (!seen.has(text)) problems.push(text), seen.add(text);
  }
  return `Invalid request: ${problems.join("; ")}`;
}
