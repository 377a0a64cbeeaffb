/**
 * Scenario and state helpers for a mock started elsewhere (a vitest global setup, the CLI): they talk
 * to the mock's control endpoints, so a test can make the next call fail, or reset and seed the mock's
 * state, from any process.
 */
import { mockClientOptions, type MockClientOptions } from "./client-options.js";
import { CONTROL_PATH, STATE_PATH } from "./front-proxy.js";
import { scenarioHelpers, type ScenarioHelpers, type ScenarioRule } from "./scenarios.js";
import type { StateFixture } from "./state.js";

export interface MockControl extends ScenarioHelpers {
  addScenario(rule: ScenarioRule): Promise<void>;
  /** Stateful mode: back to the mock's starting seed (a no-op on a stateless mock). */
  reset(): Promise<void>;
  /** Stateful mode: adds resources by collection name. */
  seed(fixture: StateFixture): Promise<void>;
  /** Stateful mode: every stored resource, by collection name. */
  state(): Promise<StateFixture>;
  /** `{ baseUrl, rateLimits: "off" }` for a client of this mock. */
  clientOptions(): MockClientOptions;
}

export function mockControl(mockUrl: string): MockControl {
  async function send(path: string, method: "GET" | "POST" | "DELETE", body?: unknown): Promise<Response> {
    const response = await fetch(new URL(path, mockUrl), { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`o11ykit mock at ${mockUrl} refused the ${path === CONTROL_PATH ? "scenario" : "state request"}: ${await response.text()}`);
    return response;
  }
  const add = async (rule: ScenarioRule) => void (await send(CONTROL_PATH, "POST", rule));
  return {
    addScenario: add,
    ...scenarioHelpers(add, async () => void (await send(CONTROL_PATH, "DELETE"))),
    reset: async () => void (await send(STATE_PATH, "DELETE")),
    seed: async (fixture) => void (await send(STATE_PATH, "POST", fixture)),
    state: async () => (await (await send(STATE_PATH, "GET")).json()) as StateFixture,
    clientOptions: () => mockClientOptions(mockUrl),
  };
}
