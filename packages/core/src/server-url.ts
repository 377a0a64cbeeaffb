/**
 * A templated server URL filled from a factory's options: ClickHouse Cloud's
 * `…/organizations/{organizationId}/services/{serviceId}/clickstack` takes each variable from the option
 * of the same name. Which variables there are, what a value must look like (`x-o11ykit-pattern`) and
 * where to find it (the variable's description) come from the spec's server variables, not from the
 * provider package. A factory that needs it passes it as its `baseUrl` hook, so providers without one
 * do not bundle it.
 */
import { ConfigError } from "./errors.js";
import type { ApiMetadata } from "./metadata.js";

/**
 * Checks the option for every variable of the spec's server URL (a malformed id is a mistake even when
 * `baseUrl` overrides the URL), and returns the URL with them filled in; undefined when the spec's
 * server is not templated.
 */
export function serverUrlFromOptions(factory: string, api: ApiMetadata, options: object): string | undefined {
  const variables = api.serverVariables;
  if (!api.baseUrlTemplate || !variables) return undefined;
  const values = new Map<string, string>();
  for (const [name, variable] of Object.entries(variables)) {
    const value = (options as Record<string, unknown>)[name];
    const where = variable.description ? ` ${variable.description}` : "";
    if (value === undefined || value === null || value === "") throw new ConfigError(`${factory}: option \`${name}\` is missing.${where}`);
    if (typeof value !== "string") throw new ConfigError(`${factory}: option \`${name}\` must be a string, got ${typeof value}.${where}`);
    if (variable.pattern && !new RegExp(variable.pattern, "u").test(value)) {
      throw new ConfigError(`${factory}: option \`${name}\` must match ${variable.pattern}, got ${JSON.stringify(value)}.${where}`);
    }
    values.set(name, value);
  }
  // Generation takes the variables from the same server as the template, so each one has a value.
  return api.baseUrlTemplate.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values.get(name)!));
}
