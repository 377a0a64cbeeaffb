/**
 * Walks a paginated list operation as an async iterator over its items, following the pagination
 * style the spec declares (`x-o11ykit-pagination`). Every page is an ordinary call through the client,
 * so rate limits, retries and timeouts apply to each; a failed page throws its ApiError.
 */
import { ConfigError, O11ykitError, type OperationRef } from "./errors.js";
import type { CursorPagination, OffsetPagination, OperationMetadata } from "./metadata.js";

export type PageCall = (init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response?: Response }>;

function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}

function describe(op: OperationMetadata): string {
  return `${op.operationId} (${op.method} ${op.path})`;
}

export function paginate(op: OperationMetadata, call: PageCall, init: Record<string, unknown> = {}, ref?: OperationRef): AsyncGenerator<unknown, void, undefined> {
  const pagination = op.pagination;
  if (!pagination) throw new ConfigError(`${describe(op)} is not paginated in the spec; call it directly`);
  return pagination.style === "cursor" ? byCursor(op, pagination, call, init, ref) : byOffset(op, pagination, call, init, ref);
}

function pageItems(op: OperationMetadata, data: unknown, path: string | undefined, page: number, ref?: OperationRef): unknown[] {
  const items = path === undefined ? data : at(data, path);
  if (!Array.isArray(items)) {
    throw new O11ykitError(`${describe(op)}: page ${page} has no ${path ? `\`${path}\` ` : ""}list; the response does not match the spec`, { operation: ref });
  }
  return items;
}

async function* byOffset(op: OperationMetadata, pagination: OffsetPagination, call: PageCall, init: Record<string, unknown>, ref?: OperationRef) {
  const params = (init["params"] ?? {}) as Record<string, unknown>;
  const query = { ...((params["query"] ?? {}) as Record<string, unknown>) };
  const limit = query[pagination.limitParam] === undefined ? undefined : Number(query[pagination.limitParam]);
  let offset = Number(query[pagination.offsetParam] ?? 0);
  for (let page = 1; ; page++) {
    const { data, error, response } = await call({ ...init, params: { ...params, query: { ...query, [pagination.offsetParam]: offset } } });
    if (error) throw error;
    const items = pageItems(op, data, pagination.items, page, ref);
    yield* items;
    if (items.length === 0) return;
    offset += items.length;
    const totalText = pagination.totalHeader ? response?.headers.get(pagination.totalHeader) : null;
    const total = totalText === null || totalText === undefined || totalText === "" ? undefined : Number(totalText);
    if (total !== undefined && Number.isFinite(total) && offset >= total) return;
    if (limit !== undefined && items.length < limit) return;
  }
}

async function* byCursor(op: OperationMetadata, pagination: CursorPagination, call: PageCall, init: Record<string, unknown>, ref?: OperationRef) {
  const params = (init["params"] ?? {}) as Record<string, unknown>;
  let query = { ...((params["query"] ?? {}) as Record<string, unknown>) };
  const seenCursors = new Set<string>();

  for (let page = 1; ; page++) {
    const { data, error } = await call({ ...init, params: { ...params, query } });
    if (error) throw error;
    yield* pageItems(op, data, pagination.items, page, ref);

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
