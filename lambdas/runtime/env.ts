/** Reading configuration from the environment, once, at module load. */

/** A required environment variable; throws naming it (never its neighbours' values) when unset. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}
