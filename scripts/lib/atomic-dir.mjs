// Replaces a folder's contents in one step: the new files are written beside it first, so a
// generation that fails half-way leaves the previous output exactly as it was.
import fs from "node:fs/promises";
import path from "node:path";

export async function replaceDirAtomically(targetDir, files) {
  const parent = path.dirname(targetDir);
  await fs.mkdir(parent, { recursive: true });
  const staging = await fs.mkdtemp(path.join(parent, ".generated-staging-"));
  try {
    for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(staging, name), content);
    const backup = `${targetDir}.previous-${process.pid}`;
    const hadTarget = await fs.stat(targetDir).then(() => true, () => false);
    if (hadTarget) await fs.rename(targetDir, backup);
    await fs.rename(staging, targetDir);
    if (hadTarget) await fs.rm(backup, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Lists the files whose content differs from `files` (missing, changed or extra). */
export async function diffDir(targetDir, files) {
  const stale = [];
  const existing = await fs.readdir(targetDir).catch(() => []);
  for (const [name, content] of Object.entries(files)) {
    const current = await fs.readFile(path.join(targetDir, name), "utf8").catch(() => null);
    if (current !== content) stale.push(name);
  }
  for (const name of existing) if (!(name in files)) stale.push(name);
  return stale;
}
