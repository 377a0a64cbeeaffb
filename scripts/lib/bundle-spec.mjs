// Bundles a multi-file OpenAPI spec into one document with Redocly, turning every problem into a
// message that names the file and line, so a broken spec fails generation with a pointer to the fix.
import path from "node:path";
import { bundle, createConfig, getLineColLocation } from "@redocly/openapi-core";

export class SpecError extends Error {
  name = "SpecError";
}

function describeProblem(problem, cwd) {
  const location = problem.location?.[0];
  if (!location?.source) return problem.message;
  let where = path.relative(cwd, location.source.absoluteRef);
  try {
    const { start } = getLineColLocation(location);
    where += `:${start.line}:${start.col}`;
  } catch {
    where += ` ${location.pointer ?? ""}`;
  }
  return `${where}: ${problem.message}`;
}

/** Returns the bundled document (external $refs moved into components), or throws SpecError. */
export async function bundleSpec(specPath, { cwd = process.cwd() } = {}) {
  const config = await createConfig({});
  let result;
  try {
    result = await bundle({ ref: specPath, config, dereference: false });
  } catch (error) {
    throw new SpecError(`${path.relative(cwd, specPath)}: cannot be read or parsed: ${error.message}`);
  }
  const errors = result.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    throw new SpecError(
      `${path.relative(cwd, specPath)} has ${errors.length} error(s):\n` +
        errors.map((p) => `  ${describeProblem(p, cwd)}`).join("\n"),
    );
  }
  return result.bundle.parsed;
}
