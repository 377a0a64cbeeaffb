#!/usr/bin/env node
// `npm run setup`: on a fresh machine with only Node ≥ 20.19 and npm, installs pnpm 10 (if missing),
// the workspace's dependencies, and runs the main job (lint, generate, build, typecheck, package
// checks, demo): everything `npm test` then finds in turbo's cache.
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
run("pnpm", ["run", "main"]);
