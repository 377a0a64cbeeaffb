/**
 * `o11ykit-mock PROVIDER [--port N] [--stateful [--seed FILE]] [--dynamic] [--errors] [--proxy URL]`: runs a provider's mock (or,
 * with --proxy, a validating proxy to the real API) until interrupted, after printing its URL and the
 * operations it serves.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startPrism } from "./prism.js";
import { MOCK_PROVIDERS, loadSpec, operationsOf, specPath, type MockProvider } from "./providers.js";
import { startMock } from "./start-mock.js";
import { MockState, type StateFixture } from "./state.js";

const USAGE = `usage: o11ykit-mock PROVIDER [--port N] [--stateful [--seed FILE]] [--dynamic] [--errors] [--proxy URL]

PROVIDER   one of ${MOCK_PROVIDERS.join(", ")}
--port N   listen on this loopback port (default: a free one)
--stateful remember resources: creates store them, reads, lists, updates and deletes use them
           (reset with DELETE /__o11ykit/state, read with GET, seed with POST)
--seed FILE  with --stateful: start with these resources (JSON: {"<collection>": [...]})
--dynamic  answer with data generated from the schemas instead of the spec's examples
--errors   answer requests that violate the spec with errors (Prism's --errors); ask for a
           documented error with a header, e.g. Prefer: code=429
--proxy URL  instead of mocking, forward to the real API at URL and report every request or
           response that does not match the spec (e.g. --proxy https://api.flashcat.cloud)`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        dynamic: { type: "boolean" },
        errors: { type: "boolean" },
        stateful: { type: "boolean" },
        seed: { type: "string" },
        proxy: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const provider = positionals[0] as MockProvider | undefined;
  if (!provider || !MOCK_PROVIDERS.includes(provider) || positionals.length > 1) {
    console.error(`${provider ? `unknown provider ${JSON.stringify(provider)}` : "which provider?"}\n\n${USAGE}`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    console.error(`--port must be a port number (1-65535), got ${JSON.stringify(values.port)}`);
    return 2;
  }
  if (values.proxy !== undefined && !/^https?:\/\//.test(values.proxy)) {
    console.error(`--proxy must be the API's http(s) URL, got ${JSON.stringify(values.proxy)}`);
    return 2;
  }

  if (values.stateful && values.proxy !== undefined) {
    console.error("--stateful mocks the API; --proxy forwards to the real one: choose one");
    return 2;
  }
  if (values.seed !== undefined && !values.stateful) {
    console.error("--seed needs --stateful");
    return 2;
  }
  let seed: StateFixture | undefined;
  if (values.seed !== undefined) {
    try {
      seed = JSON.parse(readFileSync(values.seed, "utf8")) as StateFixture;
    } catch (error) {
      console.error(`--seed ${values.seed}: ${(error as Error).message}`);
      return 2;
    }
  }

  let server;
  try {
    server = values.proxy
      ? await startPrism({ spec: specPath(provider), port, upstream: values.proxy, errors: values.errors })
      : await startMock(provider, { port, dynamic: values.dynamic, errors: values.errors, stateful: values.stateful, seed });
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const operations = operationsOf(loadSpec(specPath(provider)));
  console.log(values.proxy ? `${provider}: validating proxy to ${values.proxy} on ${server.url}` : `${provider}${values.stateful ? " stateful" : ""} mock on ${server.url}`);
  if (values.stateful && !values.proxy) {
    const collections = new MockState(loadSpec(specPath(provider))).collections;
    console.log(`Stateful collections: ${[...collections.values()].map((c) => `${c.name} (${c.operations.map((o) => o.role).join(", ")})`).join("; ")}`);
  }
  console.log(`${operations.length} operations:`);
  for (const op of operations) console.log(`  ${op.key.padEnd(58)} ${op.summary ?? ""}`);
  if (values.proxy) console.log("Requests and responses that break the spec are reported below and in sl-violations headers.");
  else console.log(`Scenarios: POST ${server.url}/__o11ykit/scenarios (see the README); Ctrl-C to stop.`);

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}
