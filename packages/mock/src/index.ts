export { startMock, type Mock, type MockOptions } from "./start-mock.js";
export { mockControl } from "./control.js";
export { MOCK_PROVIDERS, specPath, type MockOperation, type MockProvider } from "./providers.js";
export type { ScenarioHelpers, ScenarioResponse, ScenarioRule } from "./scenarios.js";
export { startPrism, type PrismOptions, type PrismServer } from "./prism.js";
export { startRateLimitedServer, type RateLimitedServer, type RateLimitedServerOptions } from "./rate-limited-server.js";
export { startRecordingServer, sendJson, type RecordedRequest, type RecordingServer, type ScriptedHandler } from "./recording-server.js";
export { exampleRequest, exampleRequests, type ExampleRequest, type NamedExampleRequest } from "./spec-examples.js";
export { freePort } from "./free-port.js";
