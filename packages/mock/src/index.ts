export { startPrism, type PrismOptions, type PrismServer } from "./prism.js";
export { startRateLimitedServer, type RateLimitedServer, type RateLimitedServerOptions } from "./rate-limited-server.js";
export { freePort } from "./free-port.js";
