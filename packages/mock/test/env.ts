/** Sets a variable of this process's environment, or removes it for `undefined`: puts back what a test changed. */
export function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
