/**
 * Walks a paginated list operation as an async iterator over its items, following the pagination
 * style the spec declares (`x-o11ykit-pagination`). Every page is an ordinary call through the client,
 * so rate limits, retries and timeouts apply to each; a failed page throws its ApiError.
 */
import { ConfigError, O11ykitError, type OperationRef } from "./errors.js";
import type { OperationMetadata, PaginationMetadata } from "./metadata.js";

export type PageCall = (init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown }>;

function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}

function describe(op: OperationMetadata): string {
  return `${op.operationId} (${op.method} ${op.path})`;
}

export async function* paginate(op: OperationMetadata, call: PageCall, init: Record<string, unknown> = {}, ref?: OperationRef): AsyncGenerator<unknown, void, undefined> {
  const pagination: PaginationMetadata | undefined = op.pagination;
  if (!pagination) throw new ConfigError(`${describe(op)} is not paginated in the spec; call it directly`);
  const params = (init["params"] ?? {}) as Record<string, unknown>;
  let query = { ...((params["query"] ?? {}) as Record<string, unknown>) };
  const seenCursors = new Set<string>();

  for (let page = 1; ; page++) {
    const { data, error } = await call({ ...init, params: { ...params, query } });
    if (error) throw error;
    const items = at(data, pagination.items);
    if (!Array.isArray(items)) {
      throw new O11ykitError(`${describe(op)}: page ${page} has no \`${pagination.items}\` list; the response does not match the spec`, { operation: ref });
    }
    yield* items;

    const next = at(data, pagination.nextPage);
    if (next === null || next === undefined || next === "") return;
    if (typeof next !== "string") {
      throw new O11ykitError(`${describe(op)}: page ${page}'s \`${pagination.nextPage}\` is not a URL`, { operation: ref });
    }
    // The next page's URL is relative to the API base and may drop filters the first call had (for
    // example Grafana's `region`), so its query is merged over the original one on the same operation.
    const nextQuery = Object.fromEntries(new URL(next, "http://next.page.invalid").searchParams);
    const cursor = JSON.stringify(nextQuery);
    if (seenCursors.has(cursor)) {
      throw new O11ykitError(`${describe(op)}: page ${page} points back to a page already read (${next}); stopping instead of looping`, { operation: ref });
    }
    seenCursors.add(cursor);
    query = { ...query, ...nextQuery };
  }
}
