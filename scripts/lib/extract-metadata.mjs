// Reads what the runtime needs from a bundled spec's `x-o11ykit-*` extensions (specs/EXTENSIONS.md):
// per-operation retry safety and rate limits, the envelope, the error-code table and the auth scheme.
// The shapes were already checked by the Redocly plugin at lint time; this only assembles them.

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
  const resolve = (p) => (p.$ref ? p.$ref.split("/").slice(1).reduce((node, key) => node?.[key], doc) : p);
  return [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve).filter(Boolean);
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
function successShapeOf(doc, op) {
  const [status, raw] = Object.entries(op.responses ?? {}).find(([code]) => /^2/.test(code)) ?? [];
  if (!status) return { emptyOk: true };
  let response = raw;
  while (response?.$ref) response = response.$ref.slice(2).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).reduce((n, k) => n?.[k], doc);
  const types = Object.keys(response?.content ?? {});
  if (status === "204" || types.length === 0) return { emptyOk: true };
  if (types.some((t) => /\bjson\b/i.test(t))) return {};
  return { responseType: "text" };
}

export function extractMetadata(doc, { name }) {
  const shared = rateLimitsOf(doc);
  const operations = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const key = `${method.toUpperCase()} ${path}`;
      operations[key] = {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        retrySafe: op["x-o11ykit-retry-safe"] === true,
        rateLimits: [...shared, ...rateLimitsOf(op)],
      };
      if (op["x-o11ykit-pagination"]) operations[key].pagination = op["x-o11ykit-pagination"];
      if (op["x-o11ykit-retry-on"]) operations[key].retryOn = op["x-o11ykit-retry-on"];
      if (op["x-o11ykit-wait"]) operations[key].wait = op["x-o11ykit-wait"];
      if (op["x-o11ykit-envelope"] === "none") operations[key].noEnvelope = true;
      Object.assign(operations[key], successShapeOf(doc, op));
      const params = parametersOf(doc, item, op);
      const requestIdHeader = clientRequestIdHeaderOf(doc, params);
      if (requestIdHeader) operations[key].clientRequestIdHeader = requestIdHeader;
      const requiredParams = requiredParamsOf(params);
      if (requiredParams) operations[key].requiredParams = requiredParams;
    }
  }
  const api = {
    name,
    title: doc.info.title,
    version: doc.info.version,
    // A templated server ({host}, {organizationId}) has no usable default: the factory fills it in.
    baseUrl: doc.servers?.[0]?.url?.includes("{") ? undefined : doc.servers?.[0]?.url,
    baseUrlTemplate: doc.servers?.[0]?.url?.includes("{") ? doc.servers[0].url : undefined,
    // The template with the spec's variable defaults, for messages that show what a base URL looks like.
    baseUrlExample: doc.servers?.[0]?.url?.includes("{")
      ? doc.servers[0].url.replace(/\{(\w+)\}/g, (_, name) => doc.servers[0].variables?.[name]?.default ?? name)
      : undefined,
    auth: authOf(doc),
    requestIdHeader: doc["x-o11ykit-request-id-header"] ?? null,
    envelope: doc["x-o11ykit-envelope"] ?? null,
    errorCodes: doc["x-o11ykit-error-codes"] ?? {},
  };
  return { api, operations };
}
