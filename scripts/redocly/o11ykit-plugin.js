// Redocly lint plugin: checks the o11ykit `x-o11ykit-*` extensions (specs/EXTENSIONS.md), so that a
// malformed extension is reported by `redocly lint` with its file and line, before generation reads it.

const ROOT_EXTENSIONS = {
  "x-o11ykit-rate-limits": checkRateLimits,
  "x-o11ykit-envelope": checkEnvelope,
  "x-o11ykit-request-id-header": checkNonEmptyString,
  "x-o11ykit-error-codes": checkErrorCodes,
  "x-o11ykit-client-request-id": (value) =>
    typeof value === "object" && value !== null && typeof value.header === "string" && value.header.length > 0
      ? []
      : [["", "must be {header: <name of the request-id header>}"]],
};

const OPERATION_EXTENSIONS = {
  "x-o11ykit-retry-safe": (value) => (typeof value === "boolean" ? [] : [["", "must be true or false"]]),
  "x-o11ykit-rate-limits": checkRateLimits,
  "x-o11ykit-pagination": checkPagination,
  "x-o11ykit-retry-on": checkRetryOn,
  "x-o11ykit-deviation": checkNonEmptyString,
  "x-o11ykit-wait": checkWait,
  // An operation whose answer is not wrapped in the document's envelope.
  "x-o11ykit-envelope": (value) => (value === "none" ? [] : [["", "on an operation, can only be `none` (its answer is not wrapped in the envelope)"]]),
};

const WAIT_FIELDS = ["name", "description", "intervalSeconds", "timeoutSeconds", "pendingStatuses", "readyWhen"];

// A waiter polls its operation until the answer says the resource is ready (specs/EXTENSIONS.md).
function checkWait(value) {
  if (typeof value !== "object" || value === null) return [["", "must be {name, intervalSeconds, timeoutSeconds, pendingStatuses?, readyWhen?}"]];
  const problems = [];
  if (typeof value.name !== "string" || !/^[a-z][A-Za-z0-9]*$/.test(value.name)) problems.push([["name"], "must be a camelCase name such as `stackReady`"]);
  for (const key of ["intervalSeconds", "timeoutSeconds"])
    if (typeof value[key] !== "number" || !(value[key] > 0)) problems.push([[key], "must be a positive number of seconds"]);
  if (value.pendingStatuses !== undefined && (!Array.isArray(value.pendingStatuses) || !value.pendingStatuses.every((s) => Number.isInteger(s) && s >= 400 && s <= 599)))
    problems.push([["pendingStatuses"], "must be a list of HTTP error statuses (400-599) that mean `not ready yet`"]);
  const when = value.readyWhen;
  if (when !== undefined) {
    if (typeof when !== "object" || when === null || typeof when.path !== "string" || !Array.isArray(when.equals) || when.equals.length === 0)
      problems.push([["readyWhen"], "must be {path: <property path in the payload>, equals: [values meaning ready]}"]);
    else for (const key of Object.keys(when)) if (!["path", "equals"].includes(key)) problems.push([["readyWhen", key], `unknown field \`${key}\` (allowed: path, equals)`]);
  }
  for (const key of Object.keys(value)) if (!WAIT_FIELDS.includes(key)) problems.push([[key], `unknown field \`${key}\` (allowed: ${WAIT_FIELDS.join(", ")})`]);
  return problems;
}

// Per style: fields that must be present, fields that are property paths into the payload, fields that
// name a request parameter or header, and fields with a fixed set of values or a positive integer.
const PAGINATION_FIELDS = {
  cursor: { required: ["items", "nextPage"], paths: ["items", "nextPage"], names: [], enums: {}, counts: [] },
  offset: { required: ["limitParam", "offsetParam"], paths: ["items"], names: ["limitParam", "offsetParam", "totalHeader"], enums: {}, counts: [] },
  page: {
    required: ["in", "pageParam", "limitParam", "items"],
    paths: ["items", "hasMore", "total"],
    names: ["pageParam", "limitParam"],
    enums: { in: ["body", "query"] },
    counts: ["maxResults", "maxLimit"],
  },
  token: {
    required: ["in", "tokenParam", "nextToken", "items"],
    paths: ["items", "nextToken", "hasMore", "total"],
    names: ["tokenParam", "limitParam"],
    enums: { in: ["body", "query"] },
    counts: ["maxLimit"],
  },
};
const PAGINATION_SHAPES =
  "must be {style: cursor, items, nextPage}, {style: offset, limitParam, offsetParam, totalHeader?, items?}, " +
  "{style: page, in, pageParam, limitParam, items, hasMore?, total?, maxResults?, maxLimit?} or " +
  "{style: token, in, tokenParam, nextToken, items, limitParam?, hasMore?, total?, maxLimit?}";

function checkPagination(value) {
  if (typeof value !== "object" || value === null) return [["", PAGINATION_SHAPES]];
  const fields = PAGINATION_FIELDS[value.style];
  if (!fields) return [[["style"], `must be one of ${Object.keys(PAGINATION_FIELDS).join(", ")}`]];
  const problems = [];
  for (const key of fields.required) if (value[key] === undefined) problems.push([[key], `is required for style ${value.style}`]);
  for (const key of fields.paths)
    if (value[key] !== undefined && (typeof value[key] !== "string" || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(value[key])))
      problems.push([[key], "must be a property path such as `metadata.pagination.nextPage`"]);
  for (const key of fields.names)
    if (value[key] !== undefined && (typeof value[key] !== "string" || value[key] === "")) problems.push([[key], "must be a parameter or header name"]);
  for (const [key, allowed] of Object.entries(fields.enums))
    if (value[key] !== undefined && !allowed.includes(value[key])) problems.push([[key], `must be one of ${allowed.join(", ")}`]);
  for (const key of fields.counts)
    if (value[key] !== undefined && (!Number.isInteger(value[key]) || value[key] < 1)) problems.push([[key], "must be a positive integer"]);
  const known = new Set(["style", ...fields.paths, ...fields.names, ...Object.keys(fields.enums), ...fields.counts]);
  for (const key of Object.keys(value)) if (!known.has(key)) problems.push([[key], `unknown field \`${key}\` for style ${value.style}`]);
  return problems;
}

function checkRetryOn(value) {
  if (!Array.isArray(value)) return [["", "must be a list of {status, messageIncludes?}"]];
  const problems = [];
  value.forEach((rule, i) => {
    if (!Number.isInteger(rule?.status) || rule.status < 400 || rule.status > 599)
      problems.push([[i, "status"], "must be an HTTP error status (400-599)"]);
    if (rule?.messageIncludes !== undefined && typeof rule.messageIncludes !== "string")
      problems.push([[i, "messageIncludes"], "must be a string"]);
  });
  return problems;
}

function checkNonEmptyString(value) {
  return typeof value === "string" && value.length > 0 ? [] : [["", "must be a non-empty string"]];
}

function checkRateLimits(value) {
  if (!Array.isArray(value)) return [["", "must be a list of {bucket, requests, periodSeconds}"]];
  const problems = [];
  value.forEach((limit, i) => {
    if (typeof limit !== "object" || limit === null) {
      problems.push([[i], "must be an object {bucket, requests, periodSeconds}"]);
      return;
    }
    if (typeof limit.bucket !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(limit.bucket))
      problems.push([[i, "bucket"], "must be a lower-case name like `account-per-second`"]);
    if (!Number.isInteger(limit.requests) || limit.requests < 1)
      problems.push([[i, "requests"], "must be a positive integer (requests allowed per period)"]);
    if (typeof limit.periodSeconds !== "number" || !(limit.periodSeconds > 0))
      problems.push([[i, "periodSeconds"], "must be a positive number of seconds"]);
    for (const key of Object.keys(limit))
      if (!["bucket", "requests", "periodSeconds", "description"].includes(key))
        problems.push([[i, key], `unknown field \`${key}\` (allowed: bucket, requests, periodSeconds, description)`]);
  });
  return problems;
}

function checkEnvelope(value) {
  if (typeof value !== "object" || value === null) return [["", "must be an object naming the envelope's fields"]];
  const problems = [];
  for (const key of ["data", "requestId", "error", "errorCode", "errorMessage"])
    if (value[key] !== undefined && typeof value[key] !== "string") problems.push([[key], "must be a property name"]);
  if (value.successCodes !== undefined && (!Array.isArray(value.successCodes) || !value.successCodes.every((c) => typeof c === "string" && c !== "")))
    problems.push([["successCodes"], "must be a list of error codes that mean success (e.g. [OK])"]);
  for (const key of Object.keys(value))
    if (!["data", "requestId", "error", "errorCode", "errorMessage", "successCodes"].includes(key)) problems.push([[key], `unknown field \`${key}\``]);
  if (typeof value.data !== "string") problems.push([["data"], "is required: the property that holds the payload"]);
  return problems;
}

function checkErrorCodes(value) {
  if (typeof value !== "object" || value === null) return [["", "must map each provider error code to its usual HTTP status"]];
  return Object.entries(value)
    .filter(([, status]) => !Number.isInteger(status) || status < 400 || status > 599)
    .map(([code]) => [[code], "must be an HTTP error status (400-599)"]);
}

function reportAll(node, checks, ctx, where) {
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith("x-o11ykit-")) continue;
    const check = checks[key];
    if (!check) {
      ctx.report({
        message: `Unknown extension \`${key}\` on ${where} (allowed here: ${Object.keys(checks).join(", ")}).`,
        location: ctx.location.child([key]).key(),
      });
      continue;
    }
    for (const [path, message] of check(value)) {
      const at = path === "" ? [key] : [key, ...path];
      ctx.report({ message: `\`${at.join(".")}\` ${message}.`, location: ctx.location.child(at) });
    }
  }
}

function ExtensionsRule() {
  return {
    Root: { enter: (root, ctx) => reportAll(root, ROOT_EXTENSIONS, ctx, "the document root") },
    Operation: { enter: (op, ctx) => reportAll(op, OPERATION_EXTENSIONS, ctx, "an operation") },
  };
}

export default function o11ykitPlugin() {
  return {
    id: "o11ykit",
    rules: { oas3: { extensions: ExtensionsRule } },
  };
}
