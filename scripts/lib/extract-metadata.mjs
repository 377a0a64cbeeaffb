// Reads what the runtime needs from a bundled spec's `x-o11ykit-*` extensions (specs/EXTENSIONS.md):
// per-operation retry safety and rate limits, the envelope, the error-code table and the auth scheme.
// The shapes were already checked by the Redocly plugin at lint time; this only assembles them.

import { resolveRef } from "./resolve-ref.mjs";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function rateLimitsOf(node) {
  return (node["x-o11ykit-rate-limits"] ?? []).map(({ bucket, requests, periodSeconds }) => ({
    bucket,
    requests,
    periodSeconds,
  }));
}

function authOf(doc) {
  const schemes = doc.components?.securitySchemes ?? {};
  const required = (doc.security ?? []).flatMap((requirement) => Object.keys(requirement));
  return required.map((name) => {
    const scheme = schemes[name];
    if (!scheme) throw new Error(`security requirement \`${name}\` has no entry in components.securitySchemes`);
    if (scheme.type === "apiKey") return { scheme: name, type: "apiKey", in: scheme.in, name: scheme.name };
    if (scheme.type === "http") return { scheme: name, type: "http", httpScheme: scheme.scheme.toLowerCase() };
    throw new Error(`security scheme \`${name}\` has type \`${scheme.type}\`, which o11ykit does not support yet`);
  });
}

function parametersOf(doc, item, op) {
  return [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolveRef(doc, p)).filter(Boolean);
}

/** The header parameter through which the client sends a per-call request id, if this operation declares it. */
function clientRequestIdHeaderOf(doc, params) {
  const header = doc["x-o11ykit-client-request-id"]?.header;
  if (!header) return undefined;
  return params.some((p) => p.in === "header" && p.name.toLowerCase() === header.toLowerCase()) ? header : undefined;
}

/** Required path and query parameters, with an example value for error messages. */
function requiredParamsOf(params) {
  const required = params
    .filter((p) => (p.in === "path" || p.in === "query") && p.required)
    .map((p) => ({ in: p.in, name: p.name, ...(p.example !== undefined ? { example: p.example } : {}) }));
  return required.length ? required : undefined;
}

/**
 * What the success response carries: `responseType: "text"` when it is not JSON (a CSV export), and
 * `emptyOk` when it declares no body, so an empty 2xx is expected rather than a broken answer.
 */
const RESERVED_GROUPS = new Set(["GET", "PUT", "POST", "DELETE", "PATCH", "paginate", "waitFor", "use", "eject", "request", "constructor", "prototype"]);

function words(text) {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const camel = (parts) => parts.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
const singular = (word) => (word.endsWith("ies") ? `${word.slice(0, -3)}y` : word.endsWith("ses") ? word.slice(0, -2) : word.endsWith("s") ? word.slice(0, -1) : word);

/**
 * Each operation's method, `group.name`: the group is its first tag in camelCase (`Escalation rules` →
 * `escalationRules`); the name is its operationId without the tag's words when only a verb is left
 * and its parent resource, when at most two words are left (`listIncidents` in `Incidents` →
 * `incidents.list`, `createChannelEscalationRule` → `escalationRules.create`, `addIncidentResponders`
 * → `incidents.addResponders`); otherwise the whole operationId. Names never collide in a group.
 */
export function methodNamesOf(doc) {
  const names = new Map();
  const taken = new Map();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "operations";
      let group = camel(words(tag));
      if (RESERVED_GROUPS.has(group) || /^\d/.test(group)) group = `${group}Api`;
      const idWords = words(op.operationId);
      const tagWords = words(tag).map(singular);
      // A tag word or its abbreviation (`org` for `Organizations`).
      const isTagWord = (w) => tagWords.some((t) => t === singular(w) || (w.length >= 3 && t.startsWith(singular(w))));
      // The parent resource named just before the tag's words (`createChannelEscalationRule` under
      // /channel/…) is implied by the group, as the tag's own words are.
      const parent = path.split("/").filter(Boolean)[0]?.toLowerCase();
      const rest = idWords.filter((w, i) => !isTagWord(w) && !(singular(w) === parent && i + 1 < idWords.length && isTagWord(idWords[i + 1])));
      const short = rest.length >= 1 && rest.length <= 2 && rest.length < idWords.length ? camel(rest) : undefined;
      const used = taken.get(group) ?? new Set();
      const name = short && !used.has(short) ? short : op.operationId;
      used.add(name);
      taken.set(group, used);
      names.set(`${method.toUpperCase()} ${path}`, `${group}.${name}`);
    }
  }
  return names;
}

function successShapeOf(doc, op) {
  const [status, raw] = Object.entries(op.responses ?? {}).find(([code]) => /^2/.test(code)) ?? [];
  if (!status) return { emptyOk: true };
  const response = resolveRef(doc, raw);
  const types = Object.keys(response?.content ?? {});
  if (status === "204" || types.length === 0) return { emptyOk: true };
  if (types.some((t) => /\bjson\b/i.test(t))) return {};
  return { responseType: "text" };
}

/** A templated server's variables, as `{name: {description?, pattern?}}` (`x-o11ykit-pattern`). */
function serverVariablesOf(server) {
  return Object.fromEntries(
    Object.entries(server.variables ?? {}).map(([name, variable]) => [
      name,
      {
        ...(variable.description ? { description: variable.description } : {}),
        ...(variable["x-o11ykit-pattern"] ? { pattern: variable["x-o11ykit-pattern"] } : {}),
      },
    ]),
  );
}

/**
 * The runtime metadata, compact: what every operation shares is stated once on `api` (the document's
 * rate limits), method and path live in the key (`POST /incident/list`), false flags and empty lists
 * are left out, and each operation names its method (`call: "incidents.list"`). The core expands an
 * entry when a call first needs it, so the bundle grows slowly with the number of operations.
 */
export function extractMetadata(doc, { name }) {
  const shared = rateLimitsOf(doc);
  const methodNames = methodNamesOf(doc);
  const operations = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const entry = { operationId: op.operationId, call: methodNames.get(key) };
      if (op["x-o11ykit-retry-safe"] === true) entry.retrySafe = true;
      const own = rateLimitsOf(op);
      if (own.length) entry.rateLimits = own;
      if (op["x-o11ykit-pagination"]) entry.pagination = op["x-o11ykit-pagination"];
      if (op["x-o11ykit-retry-on"]) entry.retryOn = op["x-o11ykit-retry-on"];
      if (op["x-o11ykit-wait"]) entry.wait = op["x-o11ykit-wait"];
      if (op["x-o11ykit-envelope"] === "none") entry.noEnvelope = true;
      Object.assign(entry, successShapeOf(doc, op));
      const params = parametersOf(doc, item, op);
      const requestIdHeader = clientRequestIdHeaderOf(doc, params);
      if (requestIdHeader) entry.clientRequestIdHeader = requestIdHeader;
      const requiredParams = requiredParamsOf(params);
      if (requiredParams) entry.requiredParams = requiredParams;
      operations[key] = entry;
    }
  }
  // A templated server ({host}, {organizationId}) has no usable default: the factory fills it in.
  const server = doc.servers?.[0];
  const templated = server?.url?.includes("{") ? server : undefined;
  const api = {
    name,
    title: doc.info.title,
    version: doc.info.version,
    baseUrl: templated ? undefined : server?.url,
    baseUrlTemplate: templated?.url,
    // The template with the spec's variable defaults, for messages that show what a base URL looks like.
    baseUrlExample: templated?.url.replace(/\{(\w+)\}/g, (_, name) => templated.variables?.[name]?.default ?? name),
    // What each variable of that template must look like, and where its value is found (the factory
    // takes each from the option of the same name).
    serverVariables: templated && serverVariablesOf(templated),
    auth: authOf(doc),
    requestIdHeader: doc["x-o11ykit-request-id-header"] ?? null,
    envelope: doc["x-o11ykit-envelope"] ?? null,
    rateLimits: shared,
    errorCodes: doc["x-o11ykit-error-codes"] ?? {},
    ...(doc["x-o11ykit-error-refinements"] ? { errorRefinements: doc["x-o11ykit-error-refinements"] } : {}),
  };
  return { api, operations };
}
