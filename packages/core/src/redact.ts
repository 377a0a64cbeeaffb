/**
 * Keeps secrets out of everything the client produces: error messages, URLs, logs and `inspect` output.
 * A redactor knows the client's secret values and the query parameters that carry them.
 */

export const REDACTED = "[REDACTED]";
export const MIN_SECRET_LENGTH = 6;

export class Redactor {
  readonly #secrets: readonly string[];
  readonly #queryParams: readonly string[];

  constructor(secrets: readonly string[], queryParams: readonly string[] = []) {
    // Longest first, so a secret that contains another is replaced whole. Secrets shorter than
    // MIN_SECRET_LENGTH (test placeholders such as "s") are not searched for in text: replacing every
    // "s" would mangle messages, and no real key is that short. Query parameters are redacted whatever.
    this.#secrets = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
    this.#queryParams = queryParams;
  }

  /** Replaces every occurrence of a secret value in `text`. */
  text(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      out = out.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(REDACTED);
    }
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

  /** Keeps the redactor itself from printing its secrets. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Redactor { secrets: ${this.#secrets.length}, queryParams: [${this.#queryParams.join(", ")}] }`;
  }
}
