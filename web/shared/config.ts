/** Where a page finds the API and its sign-in: `<page>/config.json`, written by whoever serves it. */

import type { PageConfig } from './config-shape';

export type { PageConfig };

/** The page's own URL without query or fragment: its OAuth redirect URI. */
export function pageUrl(): string {
  return `${location.origin}${location.pathname}`;
}

/** Loads `config.json` next to the page. */
export async function loadConfig(page: string): Promise<PageConfig> {
  const response = await fetch(`${page}/config.json`, { cache: 'no-store', credentials: 'omit' });
  if (!response.ok) throw new Error(`config ${response.status}`);
  return (await response.json()) as PageConfig;
}
