export { startMock, type Mock, type MockOptions } from "./start-mock.js";
export { mockControl, type MockControl } from "./control.js";
export type { MockClientOptions } from "./client-options.js";
export type { StateFixture } from "./state.js";
// Also declares `inject("o11ykitMocks")`'s type for vitest (see vitest-context.ts).
export type { MockUrls } from "./vitest-context.js";
export { MOCK_PROVIDERS, specPath, type MockOperation, type MockProvider } from "./providers.js";
export type { ScenarioHelpers, ScenarioResponse, ScenarioRule } from "./scenarios.js";
export { startPrism, type PrismOptions, type PrismServer } from "./prism.js";
export { startRateLimitedServer, type RateLimitedServer, type RateLimitedServerOptions } from "./rate-limited-server.js";
export { startRecordingServer, sendJson, type RecordedRequest, type RecordingServer, type ScriptedHandler } from "./recording-server.js";
export { exampleRequest, exampleRequests, type ExampleRequest, type NamedExampleRequest } from "./spec-examples.js";
export { freePort } from "./free-port.js";
