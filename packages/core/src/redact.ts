/**
 * Keeps secrets out of everything the client produces: error messages, URLs, logs and `inspect` output.
 * A redactor knows the client's secret values and the query parameters that carry them, and finds a
 * secret in every form the wire may give it back: raw, percent-encoded the way encodeURIComponent or
 * URLSearchParams (fetch's query serialisation) does, with either case of hex digits, and encoded twice
 * (a URL echoed inside another URL's query, such as a login page's `next=`).
 */

export const REDACTED = "[REDACTED]";
export const MIN_SECRET_LENGTH = 6;

function formEncode(text: string): string {
  return new URLSearchParams({ s: text }).toString().slice(2);
}

function lowerHex(text: string): string {
  return text.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
}

/** Every spelling of `secret` worth searching for, longest first. */
function spellings(secret: string): string[] {
  const once = [secret, encodeURIComponent(secret), formEncode(secret)];
  const twice = once.flatMap((s) => [encodeURIComponent(s), formEncode(s)]);
  const all = [...once, ...twice].flatMap((s) => [s, lowerHex(s)]);
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

export class Redactor {
  readonly #secrets: readonly string[];
  readonly #queryParams: readonly string[];
  /** Worked out on first use: most clients never produce an error, and a client should cost little. */
  #needles: readonly string[] | undefined;

  constructor(secrets: readonly string[], queryParams: readonly string[] = []) {
    // Secrets shorter than MIN_SECRET_LENGTH (test placeholders such as "s") are not searched for in
    // text: replacing every "s" would mangle messages, and no real key is that short. Query parameters
    // that carry a secret are redacted whatever their value.
    this.#secrets = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
    this.#queryParams = queryParams;
  }

  get #spellings(): readonly string[] {
    return (this.#needles ??= [...new Set(this.#secrets.flatMap(spellings))].sort((a, b) => b.length - a.length));
  }

  /** Replaces every occurrence of a secret value, in any of its spellings, in `text`. */
  text(text: string): string {
    let out = text;
    for (const needle of this.#spellings) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  }

  /** Redacts secret-bearing query parameters (whatever their value) and any secret left in the URL. */
  url(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.text(url);
    }
    for (const name of this.#queryParams) {
      if (parsed.searchParams.has(name)) parsed.searchParams.set(name, REDACTED);
    }
    if (parsed.password) parsed.password = REDACTED;
    return this.text(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
  }

  /** A copy of a JSON-like value with every string redacted (for error bodies). */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.text(value);
    if (depth > 32 || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.value(v, depth + 1)]));
  }

  /** Keeps the redactor itself from printing its secrets. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Redactor { secrets: ${this.#secrets.length > 0 ? "[REDACTED]" : "none"}, queryParams: [${this.#queryParams.join(", ")}] }`;
  }
}
