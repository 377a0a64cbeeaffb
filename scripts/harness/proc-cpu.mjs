// CPU time from Linux's /proc/<pid>/stat, for the test runner's figures (each suite's and the run's)
// and bench:mock. Times there are in clock ticks of 1/100 s; on other systems these return undefined.
import fs from "node:fs";

/** The fields of /proc/<pid>/stat from the third on (state), after the command name in parentheses. */
function statFields(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  } catch {
    return undefined;
  }
}

/** A process's own CPU time so far, user and system (utime and stime, fields 14 and 15), in seconds. */
export function processCpuSeconds(pid) {
  const fields = statFields(pid);
  return fields && (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The CPU time of every child this process started and waited for, their children's included
 * (cutime and cstime, fields 16 and 17), in seconds.
 */
export function childrenCpuSeconds() {
  const fields = statFields("self");
  return fields && (Number(fields[13]) + Number(fields[14])) / 100;
}
