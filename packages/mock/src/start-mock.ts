/**
 * `startMock("flashduty")`: a mock of a provider's API as our spec describes it — Prism with request
 * validation on, behind a small proxy that plays scenarios — on a free loopback port.
 */
import { startFrontProxy } from "./front-proxy.js";
import { startPrism } from "./prism.js";
import { loadSpec, operationsOf, specPath, type MockOperation, type MockProvider } from "./providers.js";
import { scenarioHelpers, type ScenarioHelpers, type ScenarioRule } from "./scenarios.js";

export interface MockOptions {
  /** Port for the mock's URL; default: a free one. */
  port?: number;
  /** Generated data from the schemas instead of the spec's examples. */
  dynamic?: boolean;
  /** Prism's `--errors`: answer a request that violates the spec with an error (instead of a 400 example). */
  errors?: boolean;
}

export interface Mock extends ScenarioHelpers {
  readonly provider: MockProvider;
  /** Point the client's `baseUrl` here. */
  readonly url: string;
  readonly operations: readonly MockOperation[];
  /** Process id of the Prism server behind the mock (for diagnostics). */
  readonly pid: number;
  /** Adds a raw scenario rule (the helpers cover the usual cases). */
  addScenario(rule: ScenarioRule): Promise<void>;
  /** Scenario uses still pending. */
  readonly pendingScenarios: number;
  /** Stops the proxy and Prism; resolves once the Prism process has exited. */
  close(): Promise<void>;
}

export async function startMock(provider: MockProvider, options: MockOptions = {}): Promise<Mock> {
  const path = specPath(provider);
  const spec = loadSpec(path);
  const prism = await startPrism({ spec: path, dynamic: options.dynamic, errors: options.errors });
  let front: Awaited<ReturnType<typeof startFrontProxy>>;
  try {
    front = await startFrontProxy(spec, prism.url, options.port);
  } catch (error) {
    await prism.close();
    throw error;
  }
  const add = async (rule: ScenarioRule) => front.book.add(rule);
  return {
    provider,
    url: front.url,
    operations: operationsOf(spec),
    pid: prism.pid,
    addScenario: add,
    get pendingScenarios() {
      return front.book.pending;
    },
    ...scenarioHelpers(add, async () => front.book.clear()),
    async close() {
      await front.close();
      await prism.close();
    },
  };
}
