// A provider spec cut down to some of its operations, for tests of the tooling around specs (the
// generator, spec:diff): what they do does not depend on the spec's size, and the whole Flashduty API
// takes seconds per run to bundle.

/**
 * The root `openapi.yaml` text with only the path entries whose path starts with `prefix`. Path entries
 * are the two-line `  /path:` + `    $ref: …` pairs of the root document; everything else is kept.
 */
export function keepPathsStartingWith(rootYaml, prefix) {
  const lines = rootYaml.split("\n");
  const kept = [];
  for (let i = 0; i < lines.length; i++) {
    const entry = /^  (\/[^:]*):$/.exec(lines[i]);
    if (entry && !entry[1].startsWith(prefix) && lines[i + 1]?.startsWith("    $ref:")) {
      i++;
      continue;
    }
    kept.push(lines[i]);
  }
  return kept.join("\n");
}
