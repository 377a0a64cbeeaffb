/**
 * Reading a response body under a size cap, as a stream, so the cap holds before anything large is
 * buffered: a `Content-Length` over the cap fails before reading, and a body without one stops being
 * read the moment it crosses the cap.
 */

export class BodyTooLarge extends Error {
  constructor(readonly declaredBytes: number | undefined) {
    super("response body over the size limit");
  }
}

const EMPTY = new Uint8Array(0);

export async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const header = response.headers.get("content-length");
  const declared = header !== null && /^\s*\d+\s*$/.test(header) ? Number(header) : undefined;
  if (declared !== undefined && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(declared);
  }
  if (!response.body) return EMPTY;
  // A declared length within the cap (the usual case): one read, no chunk bookkeeping.
  if (declared !== undefined && !response.headers.has("content-encoding")) {
    return new Uint8Array(await response.arrayBuffer());
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(undefined);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const decoder = new TextDecoder();

export function decodeText(bytes: Uint8Array): string {
  return bytes.byteLength === 0 ? "" : decoder.decode(bytes);
}

/** How much of an error body an ApiError keeps: enough to diagnose, bounded however large the answer. */
export const ERROR_BODY_LIMIT = 16_384;

export function truncateText(text: string, limit = ERROR_BODY_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… [${text.length - limit} more characters]`;
}
