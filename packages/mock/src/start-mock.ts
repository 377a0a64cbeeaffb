/**
 * `startMock("flashduty")`: a mock of a provider's API as our spec describes it — Prism with request
 * validation on, behind a small proxy that plays scenarios (and, with `stateful`, remembers what was
 * created) — on a free loopback port.
 */
import { mockClientOptions, type MockClientOptions } from "./client-options.js";
import { startFrontProxy } from "./front-proxy.js";
import { startPrism } from "./prism.js";
import { loadSpec, operationsOf, specPath, type MockOperation, type MockProvider } from "./providers.js";
import { scenarioHelpers, type ScenarioHelpers, type ScenarioRule } from "./scenarios.js";
import { MockState, type StateFixture } from "./state.js";

export interface MockOptions {
  /** Port for the mock's URL; default: a free one. */
  port?: number;
  /** Generated data from the schemas instead of the spec's examples. */
  dynamic?: boolean;
  /** Prism's `--errors`: answer a request that violates the spec with an error (instead of a 400 example). */
  errors?: boolean;
  /**
   * Remember resources: creates store them (with a new id and the fields the server sets), reads and
   * lists return them (lists page in the provider's own style), updates change them, deletes remove
   * them, and unknown ids get the provider's not-found error. Which operations do what comes from the
   * spec's `x-o11ykit-crud`.
   */
  stateful?: boolean;
  /** Stateful mode: resources to start with (and to go back to on `reset()`), by collection name. */
  seed?: StateFixture;
}

export interface Mock extends ScenarioHelpers {
  readonly provider: MockProvider;
  /** Point the client's `baseUrl` here. */
  readonly url: string;
  readonly operations: readonly MockOperation[];
  /** Process id of the Prism server behind the mock (for diagnostics; shared by several mocks under the shared-Prism setup). */
  readonly pid: number;
  /** Adds a raw scenario rule (the helpers cover the usual cases). */
  addScenario(rule: ScenarioRule): Promise<void>;
  /** Scenario uses still pending. */
  readonly pendingScenarios: number;
  /** Whether the mock remembers resources (`{ stateful: true }`). */
  readonly stateful: boolean;
  /** Stateful mode: back to the `seed` the mock started with. A no-op on a stateless mock. */
  reset(): Promise<void>;
  /** Stateful mode: adds resources (replacing those with the same id), by collection name. */
  seed(fixture: StateFixture): Promise<void>;
  /** Stateful mode: every stored resource, by collection name. */
  state(): Promise<StateFixture>;
  /**
   * Client options that suit this mock: its URL as `baseUrl`, and the provider's real rate limits off
   * (a mock has none, and tests should not wait 10 s for managed ClickStack's 10-per-10-s budget).
   */
  clientOptions(): MockClientOptions;
  /** Stops the proxy and Prism (not a shared Prism); resolves once the Prism process has exited. */
  close(): Promise<void>;
}

export async function startMock(provider: MockProvider, options: MockOptions = {}): Promise<Mock> {
  const path = specPath(provider);
  const spec = loadSpec(path);
  if (options.seed !== undefined && !options.stateful) throw new Error("startMock: `seed` needs `stateful: true` (a stateless mock answers with the spec's examples)");
  // Read the spec's x-o11ykit-crud (and check the seed) before starting anything.
  const state = options.stateful ? new MockState(spec, options.seed) : undefined;
  // A Prism the run shares (see shared-prism.ts), or one of this mock's own.
  const prism = await startPrism({ spec: path, dynamic: options.dynamic, errors: options.errors, share: true });
  let front: Awaited<ReturnType<typeof startFrontProxy>>;
  try {
    front = await startFrontProxy(spec, prism.url, options.port, state);
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
    stateful: state !== undefined,
    async reset() {
      state?.reset();
    },
    async seed(fixture: StateFixture) {
      if (!state) throw new Error("seed() needs a stateful mock: startMock(provider, { stateful: true })");
      state.seed(fixture);
    },
    async state() {
      if (!state) throw new Error("state() needs a stateful mock: startMock(provider, { stateful: true })");
      return state.snapshot();
    },
    clientOptions: () => mockClientOptions(front.url),
    async close() {
      await front.close();
      await prism.close();
    },
  };
}
