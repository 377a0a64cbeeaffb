// Redocly lint plugin: checks the o11ykit `x-o11ykit-*` extensions (specs/EXTENSIONS.md), so that a
// malformed extension is reported by `redocly lint` with its file and line, before generation reads it.

const ROOT_EXTENSIONS = {
  "x-o11ykit-rate-limits": checkRateLimits,
  "x-o11ykit-envelope": checkEnvelope,
  "x-o11ykit-request-id-header": checkNonEmptyString,
  "x-o11ykit-error-codes": checkErrorCodes,
  "x-o11ykit-error-refinements": checkErrorRefinements,
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
  "x-o11ykit-crud": checkCrud,
};

// On a variable of a templated server URL, which a provider factory fills from the option of the same
// name: the pattern that option must match (its default must match it too).
const SERVER_VARIABLE_EXTENSIONS = {
  "x-o11ykit-pattern": (value, variable) => {
    if (typeof value !== "string" || value === "") return [["", "must be a regular expression (a string), such as '^[0-9a-f-]{36}$'"]];
    let pattern;
    try {
      pattern = new RegExp(value, "u");
    } catch (error) {
      return [["", `is not a valid regular expression: ${error.message}`]];
    }
    if (!value.startsWith("^") || !value.endsWith("$")) return [["", "must be anchored (start with ^ and end with $), so that it checks the whole value"]];
    return typeof variable.default === "string" && !pattern.test(variable.default) ? [["", `does not match the variable's default ${JSON.stringify(variable.default)}`]] : [];
  },
};

// Which collection an operation creates, reads, lists, updates or deletes, and where it finds the id
// (specs/EXTENSIONS.md); the stateful mock (@o11ykit/mock) is driven by it.
const CRUD_ROLES = ["create", "read", "list", "update", "delete"];
const CRUD_ID_IN = ["body", "path", "query", "response"];
function checkCrud(value) {
  if (typeof value !== "object" || value === null) return [["", "must be {collection, role, id?: {in, name}, filters?, cursorParam?, limitParam?, set?}"]];
  const problems = [];
  if (typeof value.collection !== "string" || !/^[a-z][a-z0-9-]*$/.test(value.collection)) problems.push([["collection"], "must be a lower-case name such as `datasources` or `access-policies`"]);
  if (!CRUD_ROLES.includes(value.role)) problems.push([["role"], `must be one of ${CRUD_ROLES.join(", ")}`]);
  const id = value.id;
  if (id === undefined) {
    if (value.role !== "list" && CRUD_ROLES.includes(value.role)) problems.push([["id"], `is required for role ${value.role}: {in: ${CRUD_ID_IN.join("|")}, name}`]);
  } else if (typeof id !== "object" || id === null || !CRUD_ID_IN.includes(id.in) || typeof id.name !== "string" || id.name === "") {
    problems.push([["id"], `must be {in: ${CRUD_ID_IN.join("|")}, name: <body field, parameter or response field>}`]);
  } else {
    if (value.role === "create" && id.in !== "response") problems.push([["id", "in"], "must be `response` on a create (the server chooses the id)"]);
    if (["read", "update", "delete"].includes(value.role) && id.in === "response") problems.push([["id", "in"], `must say where the ${value.role} request carries the id (body, path or query)`]);
    for (const key of Object.keys(id)) if (!["in", "name"].includes(key)) problems.push([["id", key], `unknown field \`${key}\` (allowed: in, name)`]);
  }
  const onlyFor = { filters: "list", cursorParam: "list", limitParam: "list", set: "update" };
  for (const [key, role] of Object.entries(onlyFor)) if (value[key] !== undefined && value.role !== role) problems.push([[key], `is only for role ${role}`]);
  if (value.filters !== undefined && (typeof value.filters !== "object" || value.filters === null || !Object.values(value.filters).every((f) => typeof f === "string" && f !== "")))
    problems.push([["filters"], "must map each request field or query parameter to the stored field it must equal"]);
  for (const key of ["cursorParam", "limitParam"]) if (value[key] !== undefined && (typeof value[key] !== "string" || value[key] === "")) problems.push([[key], "must be a query parameter name"]);
  if (value.set !== undefined && (typeof value.set !== "object" || value.set === null || Array.isArray(value.set))) problems.push([["set"], "must be an object of the fields the operation sets"]);
  const known = ["collection", "role", "id", "filters", "cursorParam", "limitParam", "set"];
  for (const key of Object.keys(value)) if (!known.includes(key)) problems.push([[key], `unknown field \`${key}\` (allowed: ${known.join(", ")})`]);
  return problems;
}

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

// Finer codes for failures the provider reports under one broad code, told apart by their message.
function checkErrorRefinements(value) {
  if (!Array.isArray(value)) return [["", "must be a list of {status, code?, messageIncludes, as}"]];
  const problems = [];
  value.forEach((rule, i) => {
    if (!Number.isInteger(rule?.status) || rule.status < 400 || rule.status > 599) problems.push([[i, "status"], "must be an HTTP error status (400-599)"]);
    if (typeof rule?.messageIncludes !== "string" || rule.messageIncludes === "") problems.push([[i, "messageIncludes"], "must be the text that identifies the failure"]);
    if (typeof rule?.as !== "string" || !/^[A-Z][A-Za-z0-9]*$/.test(rule.as)) problems.push([[i, "as"], "must be a PascalCase error code such as `OperationInProgress`"]);
    if (rule?.code !== undefined && typeof rule.code !== "string") problems.push([[i, "code"], "must be the provider's code this refines"]);
    for (const key of Object.keys(rule ?? {})) if (!["status", "code", "messageIncludes", "as"].includes(key)) problems.push([[i, key], `unknown field \`${key}\``]);
  });
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
    for (const [path, message] of check(value, node)) {
      const at = path === "" ? [key] : [key, ...path];
      ctx.report({ message: `\`${at.join(".")}\` ${message}.`, location: ctx.location.child(at) });
    }
  }
}

/**
 * One rate-limit bucket is one budget, so the document states it once: either on the root (every
 * operation counts against it) or on the operations that share it, each giving the same window. The
 * client keys its limiters by bucket and takes an operation's own buckets before the root's: a bucket
 * on both, or with two windows, would split one budget in two, or make two calls wait for each other.
 */
function bucketConsistency() {
  const seen = new Map(); // bucket → { requests, periodSeconds, root }
  return (value, ctx, onRoot) => {
    if (!Array.isArray(value)) return;
    const here = new Set();
    value.forEach((limit, i) => {
      if (typeof limit?.bucket !== "string") return;
      const at = ["x-o11ykit-rate-limits", i, "bucket"];
      const report = (message) => ctx.report({ message: `\`${at.join(".")}\` ${message}.`, location: ctx.location.child(at) });
      if (here.has(limit.bucket)) return report(`names \`${limit.bucket}\` a second time in this list: a call would wait for its own slot`);
      here.add(limit.bucket);
      const first = seen.get(limit.bucket);
      if (!first) {
        seen.set(limit.bucket, { requests: limit.requests, periodSeconds: limit.periodSeconds, root: onRoot });
        return;
      }
      if (first.root) report(`names \`${limit.bucket}\`, a bucket the document root declares for every operation already: remove it here, or rename it`);
      else if (first.requests !== limit.requests || first.periodSeconds !== limit.periodSeconds)
        report(`gives \`${limit.bucket}\` ${limit.requests} per ${limit.periodSeconds} s, but another operation gives it ${first.requests} per ${first.periodSeconds} s: one bucket is one budget, so give every operation the same window`);
    });
  };
}

function ExtensionsRule() {
  const checkBucket = bucketConsistency();
  return {
    Root: {
      enter: (root, ctx) => {
        reportAll(root, ROOT_EXTENSIONS, ctx, "the document root");
        checkBucket(root["x-o11ykit-rate-limits"], ctx, true);
      },
    },
    Operation: {
      enter: (op, ctx) => {
        reportAll(op, OPERATION_EXTENSIONS, ctx, "an operation");
        checkBucket(op["x-o11ykit-rate-limits"], ctx, false);
      },
    },
    ServerVariable: { enter: (variable, ctx) => reportAll(variable, SERVER_VARIABLE_EXTENSIONS, ctx, "a server variable") },
  };
}

export default function o11ykitPlugin() {
  return {
    id: "o11ykit",
    rules: { oas3: { extensions: ExtensionsRule } },
  };
}
