// A real npm registry on loopback for the release round-trip test: Verdaccio with a throwaway storage
// folder, publishing open to a user it creates, and every other package proxied from the registry
// npm is configured with.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runServer } from "verdaccio";

function caLines(pem) {
  if (!pem) return [];
  return ["    ca: |", ...pem.trimEnd().split("\n").map((line) => `      ${line}`)];
}

function upstreamRegistry() {
  try {
    return execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || "https://registry.npmjs.org/";
  } catch {
    return "https://registry.npmjs.org/";
  }
}

/**
 * The CA bundle npm trusts (its `cafile`, or NODE_EXTRA_CA_CERTS). Verdaccio's uplink does not read
 * npm's config, so without it the uplink cannot reach a registry behind a TLS-inspecting proxy and
 * every dependency comes back 404.
 */
function trustedCaBundle() {
  const candidates = [process.env.NODE_EXTRA_CA_CERTS];
  try {
    candidates.push(execFileSync("npm", ["config", "get", "cafile"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch {
    // npm unavailable: no extra CA
  }
  const file = candidates.find((f) => f && f !== "null" && f !== "undefined" && fs.existsSync(f));
  return file ? fs.readFileSync(file, "utf8") : undefined;
}

export async function startLocalRegistry() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-registry-"));
  const upstream = upstreamRegistry();
  const configPath = path.join(dir, "config.yaml");
  fs.writeFileSync(
    configPath,
    [
      `storage: ${path.join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${path.join(dir, "htpasswd")}`,
      "    max_users: 100",
      "uplinks:",
      "  upstream:",
      `    url: ${upstream}`,
      "    timeout: 120s",
      // One failed fetch must not mark the upstream offline for minutes (Verdaccio's default), which
      // would turn every later dependency into a 404.
      "    max_fails: 50",
      "    fail_timeout: 1s",
      ...caLines(trustedCaBundle()),
      "packages:",
      "  '@o11ykit/*':",
      "    access: $all",
      "    publish: $authenticated",
      "  '**':",
      "    access: $all",
      "    proxy: upstream",
      "logs: { type: stdout, format: pretty, level: fatal }",
    "security:",
    "  api:",
    "    legacy: true",
      "",
    ].join("\n"),
  );
  const server = await runServer(configPath); // an http.Server, not yet listening
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  // The registry's URL ends in a path of this run's own, which is taken off before Verdaccio sees a
  // request. npm caches registry metadata by URL, and a loopback port comes round again in some later
  // run: that run's npm (with --prefer-offline) would read this run's metadata of the packages published
  // here from its cache, and install what this run published instead of what that run did.
  const prefix = `/run-${randomUUID()}`;
  server.prependListener("request", (req) => {
    if (req.url.startsWith(`${prefix}/`)) req.url = req.url.slice(prefix.length);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}${prefix}/`;

  // Create a publishing user and keep its token for an .npmrc.
  const response = await fetch(new URL("-/user/org.couchdb.user:o11ykit", url), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "o11ykit", password: "o11ykit-test-password", email: "test@o11ykit.invalid" }),
  });
  if (!response.ok) throw new Error(`could not create a registry user: ${response.status} ${await response.text()}`);
  const { token } = await response.json();

  const npmrc = path.join(dir, ".npmrc");
  const host = url.replace(/^http:/, "");
  fs.writeFileSync(npmrc, `registry=${url}\n${host}:_authToken=${token}\n`);
  return {
    url,
    /** A user config for npm/pnpm pointing at this registry, logged in. */
    npmrc,
    /** The registry npm is configured with (the one this registry proxies), for everything not published here. */
    upstream,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
