/**
 * The AWS emulator behind the local stack: a moto server started as a child process, or one
 * the user already runs (LocalStack, SAM, another moto) named by AWS_ENDPOINT_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { ENV } from '../model/resources';

/** The moto version the local stack is tested against. */
export const MOTO_VERSION = '5.2.1';

const INSTALL_HINT = `install it with: pip install 'moto[server]==${MOTO_VERSION}'`;

/** An emulator endpoint, and how to let go of it. */
export interface Emulator {
  /** e.g. http://127.0.0.1:5000 */
  readonly endpoint: string;
  /** True when this process started the server, so stopping it ends the server. */
  readonly owned: boolean;
  /** Stops an owned server and waits until it has exited; a no-op for a borrowed one. */
  stop(): Promise<void>;
}

/** The emulator could not be started or reached; the message says what to do. */
export class EmulatorError extends Error {
  override name = 'EmulatorError';
}

/** A TCP port nobody listens on right now, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Whether an executable named `name` is on PATH. */
function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Resolves once `endpoint` answers HTTP at all; rejects after `timeoutMs`. */
export async function waitUntilAnswering(endpoint: string, timeoutMs = 20_000, exited?: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return;
    } catch {
      if (exited?.()) throw new EmulatorError(`the emulator at ${endpoint} exited while starting`);
      if (Date.now() > deadline) throw new EmulatorError(`the emulator at ${endpoint} did not answer`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * moto's server app served one request at a time. `moto_server` serves each request on a thread
 * of its own, and moto does not lock around a conditional write: two simultaneous conditional
 * updates of one item could both succeed now and then, which DynamoDB never allows. Serialized,
 * a condition holds as it does in AWS. moto records no time for a sent email, so each one is
 * stamped (`sent_at`, shown by /moto-api/data.json) when moto accepts it, the moment SES would
 * have: `npm run outbox` tells it. moto makes a transaction all-or-nothing by deep-copying every
 * table it names before the first write, so a write costs time in proportion to the whole table
 * (an import slowed from 60 ms to 800 ms a member by its 120th). Here a transaction keeps a copy of
 * only the items it names, and puts those back (with the table's stream) when it is cancelled:
 * the same all-or-nothing outcome, at a cost that does not grow with the table.
 *
 * Three more costs that grew with the data, each changed without changing an answer:
 * - A Query sorted every item of the table, then kept the partition asked for: reading one member
 *   of 1,000 (8,000 items) took about 100 ms instead of 10. It now reads only that partition, or
 *   for an index every item unsorted, since it sorts what it keeps by the full key anyway.
 * - Sorting for a Scan compared moto's typed values pair by pair; it now sorts on each key's
 *   value, computed once: the same order.
 * - SQS worked out every attribute of the queue, the message counts among them, for each message
 *   it received or sent, to read one: retention, or content-based deduplication. Receiving ten
 *   from a queue holding a thousand took about 250 ms, sending ten about 100 ms. Retention is now
 *   read alone, and the counts read the system clock, which moto's own clock is built from,
 *   instead of building a date per message: 2 ms and 6 ms.
 *
 * Two costs paid on every request:
 * - moto writes each DynamoDB answer by walking the service's model, trying several spellings of
 *   every member's name in turn: 60% of moto's time in the officer routes' fault suite, nearly
 *   all of it in the attribute values of items. Attribute values that are already in the wire
 *   form (plain text, numbers, sets, lists and maps of them) are now written directly, with bytes
 *   encoded as moto encodes them; anything else still takes moto's way.
 * - moto listed its own package directory to route each request; the list is now read once. Its
 *   log line per request is no longer written: errors still are.
 *
 * Where moto is not importable by `python3` (installed for another interpreter), the shell falls
 * back to `moto_server`, which has none of these changes.
 */
const SERIAL_MOTO = `
import datetime, logging, os, sys, time
from moto.server import DomainDispatcherApplication, create_backend_app
from moto.ses import models as ses
from werkzeug.serving import run_simple
os.environ.setdefault("MOTO_PORT", sys.argv[2])
def stamped(cls):
    init = cls.__init__
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.sent_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
    cls.__init__ = __init__
for model in (ses.Message, ses.RawMessage):
    stamped(model)

import copy
from moto.dynamodb import models as dynamodb
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
class TablesByReference:
    @staticmethod
    def deepcopy(value, memo=None):
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)
dynamodb.copy = TablesByReference
transact = dynamodb.DynamoDBBackend.transact_write_items
def transact_write_items(self, transact_items):
    saved = []
    for entry in transact_items:
        try:
            op = next(iter(entry.values()))
            table = self.tables[op["TableName"]]
            key = op.get("Item") or op["Key"]
            h = DynamoType(key[table.hash_key_attr])
            r = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        except Exception:
            continue
        held = table.items.get(h)
        old = held.get(r) if r is not None and held is not None else (None if r is not None else held)
        shard = table.stream_shard
        saved.append((table, h, r, copy.deepcopy(old), None if shard is None else len(shard.items)))
    try:
        transact(self, transact_items)
    except Exception:
        for table, h, r, old, streamed in reversed(saved):
            if r is None and old is None:
                table.items.pop(h, None)
            elif r is None:
                table.items[h] = old
            elif old is None:
                table.items.get(h, {}).pop(r, None)
            else:
                table.items[h][r] = old
            if streamed is not None:
                del table.stream_shard.items[streamed:]
        raise
dynamodb.DynamoDBBackend.transact_write_items = transact_write_items
def every_item(table):
    return [item for held in table.items.values() for item in (held.values() if table.range_key_attr else [held])]
def partition(table, hash_key):
    held = table.items.get(hash_key)
    return [] if held is None else list(held.values()) if table.range_key_attr else [held]
Table.all_items = lambda self: sorted(
    every_item(self),
    key=lambda x: (x.hash_key.cast_value, x.range_key.cast_value) if x.range_key else x.hash_key.cast_value,
)
query = Table.query
def query_reading_less(self, hash_key, *args, **kwargs):
    index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
    if hash_key is None and not index_name:
        return query(self, hash_key, *args, **kwargs)
    items = every_item(self) if index_name else partition(self, hash_key)
    self.all_items = lambda: items
    try:
        return query(self, hash_key, *args, **kwargs)
    finally:
        del self.all_items
Table.query = query_reading_less

from moto.sqs import models as sqs
sqs.unix_time = time.time
sqs.unix_time_millis = lambda: time.time() * 1000
def retained(self, queue_name, message):
    return self.get_queue(queue_name).message_retention_period + message.sent_timestamp / 1000 > time.time()
sqs.SQSBackend.is_message_valid_based_on_retention_period = retained
from moto import backends
modules = list(backends.list_of_moto_modules())
backends.list_of_moto_modules = lambda: modules

from moto.core import serialize
AV_TYPES = {"S": str, "N": str, "B": (str, bytes), "NULL": bool, "BOOL": bool}
def plain(value):
    if not isinstance(value, dict) or not value:
        return False
    for name, v in value.items():
        kind = AV_TYPES.get(name)
        if kind is not None:
            ok = isinstance(v, kind)
        elif name in ("SS", "NS"):
            ok = isinstance(v, list) and all(isinstance(x, str) for x in v)
        elif name == "BS":
            ok = isinstance(v, list) and all(isinstance(x, (str, bytes)) for x in v)
        elif name == "M":
            ok = isinstance(v, dict) and all(plain(x) for x in v.values())
        elif name == "L":
            ok = isinstance(v, list) and all(plain(x) for x in v)
        else:
            ok = False
        if not ok:
            return False
    return True
def attribute_value(self, value, shape):
    out = {}
    for name, member in shape.members.items():
        v = value.get(name)
        if v is None:
            continue
        if name == "B":
            v = self._base64(v)
        elif name == "BS":
            v = [self._base64(x) for x in v]
        elif name in ("SS", "NS"):
            v = list(v)
        elif name == "M":
            v = {k: attribute_value(self, x, shape) for k, x in v.items()}
        elif name == "L":
            v = [attribute_value(self, x, shape) for x in v]
        out[self.get_serialized_name(member, name)] = v
    return out
structure = serialize.BaseJSONSerializer._serialize_type_structure
def structure_quickly(self, serialized, value, shape, key):
    if key and shape.name == "AttributeValue" and plain(value) and not getattr(self._value_picker, "response_transformers", None):
        serialized[self.get_serialized_name(shape, key)] = attribute_value(self, value, shape)
    else:
        structure(self, serialized, value, shape, key)
serialize.BaseJSONSerializer._serialize_type_structure = structure_quickly
logging.getLogger("werkzeug").setLevel(logging.WARNING)
run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)
`;

/**
 * The shell that runs moto leads a process group of its own, and watches its stdin, a pipe from
 * this process: when this process ends, however it ends (even SIGKILL), the pipe closes and the
 * shell ends its group. So a crashed test run or CLI never leaves an emulator behind, even when
 * moto_server is a shim (pyenv) that forks.
 */
const WATCHDOG = `
if python3 -c 'import moto.server' 2>/dev/null; then
  python3 -c "$2" 127.0.0.1 "$1" &
else
  moto_server -H 127.0.0.1 -p "$1" &
fi
moto=$!
trap 'kill $moto 2>/dev/null; wait $moto; exit 0' TERM INT HUP
exec 3<&0
(while read -r _; do :; done <&3; kill -TERM -$$ 2>/dev/null) &
wait $moto
`;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Sends SIGTERM to the process group the child leads (it was spawned detached). */
function signalGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // the group has already ended
  }
}

/** A last resort for a normal exit that skipped stop(): signal every child we started. */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) signalGroup(child);
  });
}

/** Starts `moto_server` on `port` (a free one when omitted) and waits until it answers. */
export async function startMoto(options: { port?: number; timeoutMs?: number } = {}): Promise<Emulator> {
  if (!onPath('moto_server')) {
    throw new EmulatorError(`moto_server is not on PATH: ${INSTALL_HINT}`);
  }
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('sh', ['-c', WATCHDOG, 'moto-watchdog', String(port), SERIAL_MOTO], {
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
  });
  running.add(child);
  installExitHook();

  // moto logs its errors to stderr: keep only the tail, for a useful message if it fails.
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-2_000);
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      running.delete(child);
      resolve();
    });
  });

  const stop = async () => {
    if (exitCode === undefined) {
      signalGroup(child);
      child.stdin?.end();
    }
    await exited;
  };

  try {
    await waitUntilAnswering(endpoint, options.timeoutMs ?? 20_000, () => exitCode !== undefined);
  } catch (error) {
    await stop();
    const missing = /command not found|No module named|not found/i.test(tail);
    const why = missing ? `moto_server cannot run here: ${INSTALL_HINT}` : (error as Error).message;
    const inUse = /address already in use/i.test(tail) ? ` (port ${port} is in use: pass --moto-port)` : '';
    throw new EmulatorError(
      `${why}${inUse}${tail && !missing ? `\n${tail.trim().split('\n').slice(-5).join('\n')}` : ''}`,
    );
  }
  return { endpoint, owned: true, stop };
}

/** An emulator someone else runs, e.g. LocalStack at http://localhost:4566; never stopped by us. */
export async function connectEmulator(endpoint: string): Promise<Emulator> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EmulatorError(`${ENV.endpoint} is not a URL: ${endpoint}`);
  }
  const base = url.origin;
  try {
    await waitUntilAnswering(base, 5_000);
  } catch {
    throw new EmulatorError(`nothing answers at ${ENV.endpoint}=${base}: start your emulator or unset it`);
  }
  return { endpoint: base, owned: false, stop: async () => {} };
}

/**
 * The emulator for the local stack: the one named by AWS_ENDPOINT_URL when set, otherwise a
 * moto server of our own on `motoPort` (or MOTO_PORT, or a free port).
 */
export function openEmulator(options: { motoPort?: number } = {}): Promise<Emulator> {
  const external = process.env[ENV.endpoint];
  if (external) return connectEmulator(external);
  const fromEnv = process.env.MOTO_PORT ? Number(process.env.MOTO_PORT) : undefined;
  const port = options.motoPort ?? fromEnv;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65_536)) {
    throw new EmulatorError(`invalid moto port: ${port}`);
  }
  return startMoto(port === undefined ? {} : { port });
}
