/**
 * Client options for a mock. The clients enforce each provider's published rate limits before sending
 * (managed ClickStack: 10 requests per 10 s), which in a test against a mock is only waiting; a mock
 * has no limits of its own (play one with `rateLimit()`), so the client's are turned off.
 */
export interface MockClientOptions {
  /** The mock's URL. */
  baseUrl: string;
  /** No client-side rate limiting (`@o11ykit/core`'s `rateLimits: "off"`). */
  rateLimits: "off";
}

export function mockClientOptions(url: string): MockClientOptions {
  return { baseUrl: url, rateLimits: "off" };
}
