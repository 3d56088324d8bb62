/**
 * The pages' .tsx files keep the web/ dependency rule (.dependency-cruiser.cjs), which
 * dependency-cruiser cannot check there: its swc parser reads no JSX. They import only web/,
 * policy/ and model/ files, and preact.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../local/state';

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

describe('the pages import', () => {
  const files = tsxFiles(join(ROOT, 'web'));

  it('finds the pages', () => {
    expect(files.map((f) => relative(ROOT, f))).toEqual(
      expect.arrayContaining(['web/privacy/main.tsx', 'web/console/main.tsx', 'web/shared/ui.tsx']),
    );
  });

  it('only web/, policy/, model/ and preact from .tsx files', () => {
    const refused: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:from|import)\s+'([^']+)'/g)) {
        const specifier = match[1]!;
        const ok = specifier.startsWith('.')
          ? /^(web|policy|model)\//.test(relative(ROOT, resolve(dirname(file), specifier)))
          : /^preact(\/hooks)?$/.test(specifier);
        if (!ok) refused.push(`${relative(ROOT, file)} imports ${specifier}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
