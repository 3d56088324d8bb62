import { bundleFunctions } from '../bench/bundle';
const [dir, name] = [process.argv[2]!, process.argv[3]!];
const r = await bundleFunctions(dir, 'littleone');
const b = r.find((x) => x.name === name)!;
const by = new Map<string, number>();
for (const i of b.inputs as { origin: string; path?: string; bytes: number }[]) by.set(i.path ?? i.origin, (by.get(i.path ?? i.origin) ?? 0) + i.bytes);
console.log(b.minifiedBytes);
for (const [k, v] of [...by].sort()) console.log(k, v);
