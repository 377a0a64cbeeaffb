/**
 * A templated server URL filled from a factory's options: ClickHouse Cloud's
 * `…/organizations/{organizationId}/services/{serviceId}/clickstack` takes each variable from the option
 * of the same name. What a value must look like (`x-o11ykit-pattern`) and where to find it (the
 * variable's description) come from the spec's server variables, not from the provider package. A
 * factory that needs it passes it as its `baseUrl` hook, so providers without one do not bundle it.
 */
import { ConfigError } from "./errors.js";
import type { ApiMetadata } from "./metadata.js";

/**
 * Checks every option that is a variable of the spec's server URL (a malformed id is a mistake even
 * when `baseUrl` overrides the URL), and returns the URL with them filled in; undefined when the spec's
 * server is not templated by these options.
 */
export function serverUrlFromOptions(factory: string, api: ApiMetadata, options: object, optionNames: readonly string[]): string | undefined {
  const variables = api.serverVariables;
  if (!api.baseUrlTemplate || !variables) return undefined;
  const values = new Map<string, string>();
  for (const name of optionNames) {
    const variable = variables[name];
    if (!variable) continue;
    const value = (options as Record<string, unknown>)[name];
    const where = variable.description ? ` ${variable.description}` : "";
    if (value === undefined || value === null || value === "") throw new ConfigError(`${factory}: option \`${name}\` is missing.${where}`);
    if (typeof value !== "string") throw new ConfigError(`${factory}: option \`${name}\` must be a string, got ${typeof value}.${where}`);
    if (variable.pattern && !new RegExp(variable.pattern, "u").test(value)) {
      throw new ConfigError(`${factory}: option \`${name}\` must match ${variable.pattern}, got ${JSON.stringify(value)}.${where}`);
    }
    values.set(name, value);
  }
  let complete = true;
  const url = api.baseUrlTemplate.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values.get(name);
    if (value === undefined) complete = false;
    return encodeURIComponent(value ?? "");
  });
  return complete ? url : undefined;
}
