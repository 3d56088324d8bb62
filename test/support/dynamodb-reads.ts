/**
 * Counts the DynamoDB items the product's handlers read, by wrapping the shared document client
 * in middleware. Used by the inactivity scale test and reusable by a benchmark: wrap any run in
 * {@link measureItemsRead} and compare the figure with the population it ran over.
 */
import { documentClient } from '../../lambdas/adapters/dynamodb';

/** Items returned by read calls, and the calls themselves, by command. */
export interface ReadCounts {
  readonly itemsRead: number;
  readonly readCalls: number;
  readonly byCommand: Readonly<Record<string, { calls: number; items: number }>>;
}

const READS = new Set(['GetCommand', 'QueryCommand', 'ScanCommand', 'BatchGetCommand']);

function itemsOf(output: Record<string, unknown>): number {
  if (Array.isArray(output.Items)) return output.Items.length;
  if ('Item' in output) return output.Item === undefined ? 0 : 1;
  if (output.Responses && typeof output.Responses === 'object') {
    return Object.values(output.Responses as Record<string, unknown[]>).reduce(
      (n, list) => n + list.length,
      0,
    );
  }
  return 0;
}

/** Runs `run` and returns its result with every item the document client read meanwhile. */
export async function measureItemsRead<T>(run: () => Promise<T>): Promise<{ result: T } & ReadCounts> {
  const byCommand: Record<string, { calls: number; items: number }> = {};
  const name = `count-reads-${Math.random().toString(36).slice(2)}`;
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const command = String(context.commandName ?? '');
      if (READS.has(command) || READS.has(command.replace(/^(\w+?)(Item)?Command$/, '$1Command'))) {
        const entry = byCommand[command] ?? { calls: 0, items: 0 };
        byCommand[command] = entry;
        entry.calls++;
        entry.items += itemsOf(out.output as Record<string, unknown>);
      }
      return out;
    },
    { step: 'initialize', name },
  );
  try {
    const result = await run();
    const entries = Object.values(byCommand);
    return {
      result,
      itemsRead: entries.reduce((n, e) => n + e.items, 0),
      readCalls: entries.reduce((n, e) => n + e.calls, 0),
      byCommand,
    };
  } finally {
    documentClient.middlewareStack.remove(name);
  }
}
