/**
 * Walks a paginated list operation as an async iterator over its items, following the pagination
 * style the spec declares (`x-o11ykit-pagination`). Every page is an ordinary call through the client,
 * so rate limits, retries and timeouts apply to each; a failed page throws its ApiError.
 *
 * A walk always ends: a page that repeats one already read (the same cursor, token or page of items)
 * stops it with a PaginationError, and so does reaching `maxPages` (default 1,000) while the server
 * still says there is more. `maxItems` stops the walk quietly after that many items.
 */
import { valueAt } from "./path.js";
import { ConfigError, O11ykitError, PaginationError, type OperationRef } from "./errors.js";
import type { CursorPagination, OffsetPagination, OperationMetadata, PagePagination, TokenPagination } from "./metadata.js";

export type PageCall = (init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response?: Response }>;

export const DEFAULT_MAX_PAGES = 1_000;
export const PAGINATE_OPTION_NAMES = ["maxPages", "maxItems"] as const;

/** Options of `paginate()` besides the first page's call options. */
export interface PaginateOptions {
  /** Most pages fetched (default 1,000); reaching it while the server reports more throws a PaginationError. */
  maxPages?: number | undefined;
  /** Stop quietly after this many items. */
  maxItems?: number | undefined;
}


function describe(op: OperationMetadata): string {
  return `${op.operationId} (${op.method} ${op.path})`;
}

function checkCaps(op: OperationMetadata, caps: Record<string, unknown>): Required<Pick<PaginateOptions, "maxPages">> & PaginateOptions {
  for (const name of PAGINATE_OPTION_NAMES) {
    const value = caps[name];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 1)) {
      throw new ConfigError(`${describe(op)}: paginate option \`${name}\` must be a positive whole number, got ${String(value)}`);
    }
  }
  return { maxPages: (caps["maxPages"] as number | undefined) ?? DEFAULT_MAX_PAGES, maxItems: caps["maxItems"] as number | undefined };
}

/** One page: what it holds, and how to ask for the next (undefined: it was the last). */
interface Page {
  items: unknown[];
  next: Record<string, unknown> | undefined;
  /** Identifies the page's position, to notice a server that sends one page again. */
  key: string;
}

type Walker = (init: Record<string, unknown>, page: number) => Promise<Page>;

export function paginate(
  op: OperationMetadata,
  call: PageCall,
  init: Record<string, unknown> = {},
  ref?: OperationRef,
  rawCaps: Record<string, unknown> = {},
): AsyncGenerator<unknown, void, undefined> {
  const pagination = op.pagination;
  if (!pagination) throw new ConfigError(`${describe(op)} is not paginated in the spec; call it directly`);
  const caps = checkCaps(op, rawCaps);
  const fetchPage = async (pageInit: Record<string, unknown>, page: number) => {
    const result = await call(pageInit);
    if (result.error) throw result.error;
    return result;
  };
  const walker: Walker =
    pagination.style === "cursor"
      ? cursorWalker(op, pagination, fetchPage, ref)
      : pagination.style === "offset"
        ? offsetWalker(op, pagination, fetchPage, ref)
        : pagination.style === "page"
          ? pageWalker(op, pagination, fetchPage, ref)
          : tokenWalker(op, pagination, fetchPage, ref);
  return walk(walker, init, caps, ref);
}

async function* walk(walker: Walker, init: Record<string, unknown>, caps: ReturnType<typeof checkCaps>, ref?: OperationRef) {
  const seen = new Set<string>();
  let request: Record<string, unknown> | undefined = init;
  let yielded = 0;
  for (let page = 1; request; page++) {
    if (page > caps.maxPages) {
      throw new PaginationError(ref, caps.maxPages, `reached \`maxPages\` (${caps.maxPages}) and the server still reports more; pass a higher \`maxPages\`, or narrow the query`);
    }
    const current = await walker(request, page);
    // A page is a repeat when it was asked for the same way, or holds exactly the items of one read
    // before (a server that ignores the cursor or offset, or loops A → B → A).
    const keys = current.items.length > 0 ? [current.key, `items:${JSON.stringify(current.items)}`] : [current.key];
    if (keys.some((key) => seen.has(key))) {
      throw new PaginationError(ref, page, "the server sent a page already read; stopping instead of looping");
    }
    for (const key of keys) seen.add(key);
    for (const item of current.items) {
      if (caps.maxItems !== undefined && yielded >= caps.maxItems) return;
      yield item;
      yielded++;
    }
    if (caps.maxItems !== undefined && yielded >= caps.maxItems) return;
    request = current.next;
  }
}

function pageItems(op: OperationMetadata, data: unknown, path: string | undefined, page: number, ref?: OperationRef): unknown[] {
  const items = path === undefined ? data : valueAt(data, path);
  // Some lists send `null` rather than `[]` when there is nothing (Grafana's /v1/stacks for an empty org).
  if (items === null) return [];
  if (!Array.isArray(items)) {
    throw new O11ykitError(`${describe(op)}: page ${page} has no ${path ? `\`${path}\` ` : ""}list; the response does not match the spec`, { operation: ref });
  }
  return items;
}

/** The part of `init` that carries paging parameters (the query, or the JSON body), and a setter. */
function slot(init: Record<string, unknown>, where: "body" | "query") {
  const params = (init["params"] ?? {}) as Record<string, unknown>;
  const current = where === "query" ? ((params["query"] ?? {}) as Record<string, unknown>) : ((init["body"] ?? {}) as Record<string, unknown>);
  const withValues = (values: Record<string, unknown>): Record<string, unknown> =>
    where === "query" ? { ...init, params: { ...params, query: { ...current, ...values } } } : { ...init, body: { ...current, ...values } };
  return { current, withValues };
}

type Fetch = (init: Record<string, unknown>, page: number) => Promise<{ data?: unknown; response?: Response }>;

function offsetWalker(op: OperationMetadata, p: OffsetPagination, fetchPage: Fetch, ref?: OperationRef): Walker {
  return async (init, page) => {
    const { current, withValues } = slot(init, "query");
    const offset = Number(current[p.offsetParam] ?? 0);
    const limit = current[p.limitParam] === undefined ? undefined : Number(current[p.limitParam]);
    const { data, response } = await fetchPage(withValues({ [p.offsetParam]: offset }), page);
    const items = pageItems(op, data, p.items, page, ref);
    const nextOffset = offset + items.length;
    const totalText = p.totalHeader ? response?.headers.get(p.totalHeader) : null;
    const total = totalText === null || totalText === undefined || totalText === "" ? undefined : Number(totalText);
    const last = items.length === 0 || (total !== undefined && Number.isFinite(total) && nextOffset >= total) || (limit !== undefined && items.length < limit);
    return { items, key: `offset:${offset}`, next: last ? undefined : withValues({ [p.offsetParam]: nextOffset }) };
  };
}

function cursorWalker(op: OperationMetadata, p: CursorPagination, fetchPage: Fetch, ref?: OperationRef): Walker {
  return async (init, page) => {
    const { current, withValues } = slot(init, "query");
    const { data } = await fetchPage(init, page);
    const items = pageItems(op, data, p.items, page, ref);
    const next = valueAt(data, p.nextPage);
    const key = `cursor:${JSON.stringify(current)}`;
    if (next === null || next === undefined || next === "") return { items, key, next: undefined };
    if (typeof next !== "string") throw new O11ykitError(`${describe(op)}: page ${page}'s \`${p.nextPage}\` is not a URL`, { operation: ref });
    // The next page's URL is relative to the API base and may drop filters the first call had (for
    // example Grafana's `region`), so its query is merged over the original one on the same operation.
    const nextQuery = Object.fromEntries(new URL(next, "http://next.page.invalid").searchParams);
    return { items, key, next: withValues(nextQuery) };
  };
}

function pageWalker(op: OperationMetadata, p: PagePagination, fetchPage: Fetch, ref?: OperationRef): Walker {
  return async (init, page) => {
    const { current, withValues } = slot(init, p.in);
    const number = Number(current[p.pageParam] ?? 1);
    const limit = Number(current[p.limitParam] ?? p.maxLimit ?? 20);
    if (p.maxResults !== undefined && number * limit > p.maxResults) {
      throw new PaginationError(
        ref,
        page - 1,
        `page ${number} of ${limit} would reach past the server's ceiling of ${p.maxResults} results (${p.pageParam} × ${p.limitParam}); ` +
          "narrow the query (a shorter time range, more filters) so it matches fewer items",
      );
    }
    const request = withValues({ [p.pageParam]: number, [p.limitParam]: limit });
    const { data } = await fetchPage(request, page);
    const items = pageItems(op, data, p.items, page, ref);
    const hasMore = p.hasMore ? valueAt(data, p.hasMore) : undefined;
    const total = p.total ? Number(valueAt(data, p.total)) : Number.NaN;
    // The server's own "more?" flag decides when it sends one; `total` can be capped (Flashduty stops
    // counting at 1,000), so it is only used, like a short page, when there is no flag.
    const last =
      items.length === 0 ||
      (typeof hasMore === "boolean"
        ? !hasMore
        : (Number.isFinite(total) && (number - 1) * limit + items.length >= total) || items.length < limit);
    const key = `page:${number}`;
    return { items, key, next: last ? undefined : withValues({ [p.pageParam]: number + 1, [p.limitParam]: limit }) };
  };
}

function tokenWalker(op: OperationMetadata, p: TokenPagination, fetchPage: Fetch, ref?: OperationRef): Walker {
  return async (init, page) => {
    const { current, withValues } = slot(init, p.in);
    const limitValues = p.limitParam && current[p.limitParam] === undefined && p.maxLimit ? { [p.limitParam]: p.maxLimit } : {};
    const request = withValues(limitValues);
    const { data } = await fetchPage(request, page);
    const items = pageItems(op, data, p.items, page, ref);
    const token = valueAt(data, p.nextToken);
    const hasMore = p.hasMore ? valueAt(data, p.hasMore) : undefined;
    const key = `token:${JSON.stringify(current[p.tokenParam] ?? null)}`;
    const last = token === undefined || token === null || token === "" || hasMore === false || items.length === 0;
    return { items, key, next: last ? undefined : withValues({ ...limitValues, [p.tokenParam]: token }) };
  };
}
