/**
 * Scenario helpers for a mock started elsewhere (a vitest global setup, the CLI): they talk to the
 * mock's control endpoint, so a test can make the next call fail from any process.
 */
import { CONTROL_PATH } from "./front-proxy.js";
import { scenarioHelpers, type ScenarioHelpers, type ScenarioRule } from "./scenarios.js";

export function mockControl(mockUrl: string): ScenarioHelpers & { addScenario(rule: ScenarioRule): Promise<void> } {
  const endpoint = new URL(CONTROL_PATH, mockUrl);
  async function send(method: "POST" | "DELETE", rule?: ScenarioRule) {
    const response = await fetch(endpoint, { method, headers: { "content-type": "application/json" }, body: rule ? JSON.stringify(rule) : undefined });
    if (!response.ok) throw new Error(`o11ykit mock at ${mockUrl} refused the scenario: ${await response.text()}`);
  }
  const add = (rule: ScenarioRule) => send("POST", rule);
  return { addScenario: add, ...scenarioHelpers(add, () => send("DELETE")) };
}
