// `--proxy`: Prism forwards to the real API and reports where it does not match the spec. Here the
// "real API" is a local server that answers with a field of the wrong type.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { freePort, sendJson, startRecordingServer, type RecordingServer } from "../src/index.js";

let upstream: RecordingServer | undefined;
afterAll(() => upstream?.close());

it("forwards calls to the upstream API and flags responses that break the spec", async () => {
  upstream = await startRecordingServer((_req, res) =>
    sendJson(res, 200, { request_id: "r1", data: [{ id: "not-a-number", type_ident: "prometheus", name: "p", enabled: true, edge_cluster_name: "d", updated_at: 1 }] }),
  );
  const port = await freePort();
  const bin = fileURLToPath(new URL("../bin/o11ykit-mock.js", import.meta.url));
  const child = spawn(process.execPath, [bin, "flashduty", "--port", String(port), "--proxy", upstream.url], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      if (output.includes("sl-violations headers")) resolve();
    });
    // What the CLI printed on stderr says why (such as Prism not starting in time).
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}${errors}`)));
  });
  expect(output).toContain(`flashduty: validating proxy to ${upstream.url} on http://127.0.0.1:${port}`);
  const response = await fetch(`http://127.0.0.1:${port}/monit/datasource/list?app_key=real-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(upstream.requests).toHaveLength(1); // it reached the "real" API
  expect(upstream.requests[0]!.url).toBe("/monit/datasource/list?app_key=real-key");
  expect(response.headers.get("sl-violations")).toMatch(/id.*must be integer/);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
}, 60_000);
