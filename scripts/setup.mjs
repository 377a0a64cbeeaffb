#!/usr/bin/env node
// `npm run setup`: on a fresh machine with only Node ≥ 20.19 and npm, installs pnpm 10 (if missing),
// the workspace's dependencies and redis-server (if missing; the @o11ykit/redis tests run against a
// real one), and runs the main job (lint, generate, build, typecheck, package checks, demo): everything
// `npm test` then finds in turbo's cache.
//
// `--install-only` stops after the installs: CI (.ci/run) uses it, then runs `npm test` itself.
import { spawnSync } from "node:child_process";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`o11ykit needs Node.js 20.19 or newer (found ${process.version}); @redocly/cli and vitest require it.`);
  process.exit(1);
}

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) {
    console.error(`\nsetup: \`${command} ${args.join(" ")}\` failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

const pnpm = spawnSync("pnpm", ["--version"], { encoding: "utf8", shell: process.platform === "win32" });
if (pnpm.status !== 0 || !pnpm.stdout.startsWith("10.")) {
  // Not corepack: the registry here serves no signatures, which corepack refuses.
  run("npm", ["install", "--global", "pnpm@10"]);
}
run("pnpm", ["install", "--frozen-lockfile"]);
installRedisServer();
if (!process.argv.includes("--install-only")) run("pnpm", ["run", "main"]);

/**
 * redis-server from the system's packages when it is missing and this is a Debian-like machine where
 * we may install (root, apt-get). Anywhere else, says what to install: setup does not fail for it, as
 * only `npm test`'s Redis suite needs it (and says so again if it is still missing).
 */
function installRedisServer() {
  if (onPath("redis-server")) return;
  const canInstall = process.platform === "linux" && process.getuid?.() === 0 && onPath("apt-get");
  if (!canInstall) {
    console.warn("\nsetup: redis-server is not installed; `npm test` needs it for the @o11ykit/redis suite. Install Redis 7 (e.g. `sudo apt-get install -y redis-server` or `brew install redis`).");
    return;
  }
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "redis-server"]);
}

function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}
