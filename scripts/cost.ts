/**
 * The README's cost figures: `npm run readme` writes, between markers,
 * - `<!-- generated:cost -->`: what an idle stack of each profile pays a month, counted in its
 *   synthesized template (keys, web ACL, alarms, schedules, secrets…);
 * - `<!-- generated:bench-cost -->`: the cost model of the last `npm run bench`
 *   (`bench/results.json`): billed units per operation from the bench's measured counts, and a
 *   month per 10,000 members at the stated activity profile.
 * An infrastructure test fails while the README's copies differ. Prices come from
 * `bench/prices/ap-northeast-2.ts` only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { costMarkdown, costModel, idleCost, type MeasuredOperation, total } from '../bench/cost';
import { OPERATIONS_PROFILE } from '../bench/operations';
import { AS_OF, PRICE_STAMP } from '../bench/prices/ap-northeast-2';
import { templateResources } from '../bench/template';
import { type ProfileName, profiles } from '../policy/catalogue';

function dollars(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** The markdown of the README's idle-stack cost section, both profiles side by side. */
export function costSection(): string {
  const names = Object.keys(profiles) as ProfileName[];
  const idle = names.map((p) => [p, idleCost(templateResources(p))] as const);
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const idleRows = idle[0]![1].map((line, i) =>
    row([line.service, ...idle.map(([, lines]) => `${lines[i]!.basis}: ${dollars(lines[i]!.usd)}`)]),
  );
  return [
    `What an idle stack pays a month in USD at Seoul list prices stated as of ${AS_OF}`,
    '(`bench/prices/ap-northeast-2.ts`, written without access to the pricing pages: check them in',
    "the AWS Pricing Calculator before budgeting). The counts are read from each profile's synthesized",
    'template, and a test keeps this table current. Free tiers are not deducted. Tables, logs and',
    'functions cost nothing idle; what members add is measured by `npm run bench` (*Performance*).',
    '',
    row(['idle stack', ...names]),
    row(['---', ...names.map(() => '---')]),
    ...idleRows,
    row(['**total**', ...idle.map(([, lines]) => `**${dollars(total(lines))}**`)]),
  ].join('\n');
}

/** What the README shows of a bench run's results. */
interface BenchResults {
  readonly date: string;
  readonly mode: string;
  readonly machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  readonly operations?: MeasuredOperation[];
}

/**
 * The markdown of the README's measured cost: the model applied afresh to the operations the last
 * bench run measured (`bench/results.json`), so a price corrected in the price file shows here.
 */
export function benchCostSection(results: BenchResults): string {
  if (!results.operations?.every((o) => o.functions))
    throw new Error('bench/results.json predates the cost model: run `npm run bench -- --quick` first');
  const m = results.machine;
  const model = costModel(results.operations, templateResources(OPERATIONS_PROFILE), PRICE_STAMP);
  return costMarkdown(model, {
    date: results.date,
    mode: results.mode,
    machine: `${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.platform}`,
  });
}

/** The last bench run's results. */
export function benchResults(): BenchResults {
  return JSON.parse(readFileSync(new URL('../bench/results.json', import.meta.url), 'utf8')) as BenchResults;
}

/** `readme` with the section between `<!-- generated:<name> -->` markers replaced by `section`. */
export function withSection(readme: string, name: string, section: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no ${start} … ${end} section`);
  return `${readme.slice(0, from + start.length)}\n${section}\n${readme.slice(to)}`;
}

/** `readme` with both cost sections current. */
export function withCostSections(readme: string): string {
  return withSection(
    withSection(readme, 'cost', costSection()),
    'bench-cost',
    benchCostSection(benchResults()),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const path = new URL('../README.md', import.meta.url);
  writeFileSync(path, withCostSections(readFileSync(path, 'utf8')));
}
