/** The provider specs this package ships (bundled by scripts/generate.mjs into src/generated/). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const MOCK_PROVIDERS = ["flashduty", "grafana-cloud", "clickstack-cloud", "clickstack-oss"] as const;
export type MockProvider = (typeof MOCK_PROVIDERS)[number];

export type Spec = Record<string, any>;

export function specPath(provider: MockProvider): string {
  if (!MOCK_PROVIDERS.includes(provider)) {
    throw new Error(`unknown provider ${JSON.stringify(provider)}; choose one of ${MOCK_PROVIDERS.join(", ")}`);
  }
  // From dist/ and from src/ alike, the specs are in ../src/generated.
  return fileURLToPath(new URL(`../src/generated/${provider}.json`, import.meta.url));
}

const cache = new Map<string, Spec>();

export function loadSpec(path: string): Spec {
  let spec = cache.get(path);
  if (!spec) {
    spec = JSON.parse(readFileSync(path, "utf8")) as Spec;
    cache.set(path, spec);
  }
  return spec;
}

export interface MockOperation {
  /** `METHOD /path/{param}`, as the clients and their metadata name operations. */
  key: string;
  method: string;
  path: string;
  operationId: string | undefined;
  summary: string | undefined;
}

const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

export function operationsOf(spec: Spec): MockOperation[] {
  return Object.entries(spec["paths"] ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as Spec)[m]).map((m) => {
      const op = (item as Spec)[m] as Spec;
      return { key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, operationId: op["operationId"], summary: op["summary"] };
    }),
  );
}

/** Follows `$ref`s (JSON pointers into the same bundled spec) until a real node. */
export function resolveRef(spec: Spec, node: Spec | undefined): Spec | undefined {
  let current = node;
  for (let depth = 0; current?.["$ref"] && depth < 10; depth++) {
    current = (current["$ref"] as string)
      .split("/")
      .slice(1)
      .reduce((n: Spec | undefined, key) => n?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return current;
}

/** A regex matching request paths of a path template (`/instances/{stack_slug}`). */
export function pathMatcher(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
  return new RegExp(`^${escaped}/?$`);
}

/** The operation a request is for, if the spec has one. */
export function operationFor(spec: Spec, method: string, path: string): MockOperation | undefined {
  return operationsOf(spec).find((op) => op.method === method && pathMatcher(op.path).test(path));
}
