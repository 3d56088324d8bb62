/**
 * Runs the deploy-time CLIs (scripts/) as a user would: a child process with its own
 * environment, its stdout, stderr and exit code. Each run sees only the variables given, plus
 * PATH, so nothing of the caller's AWS configuration reaches it.
 */
import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS } from '../../local/bootstrap';
import { ROOT } from '../../local/state';

/** What a CLI run printed, and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout's lines, without the empty last one. */
  readonly lines: readonly string[];
}

/** The environment of a CLI pointed at an emulator with the fake local credentials. */
export function emulatorEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'ap-northeast-2',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/**
 * Runs `scripts/<script>.ts` with `args` and exactly `env` (plus PATH and NODE_NO_WARNINGS);
 * `input`, when given, is piped to its stdin.
 */
export function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  input?: string,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(ROOT, 'node_modules/.bin/tsx'),
      [join(ROOT, 'scripts', `${script}.ts`), ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout, stderr, lines: stdout.split('\n').filter(Boolean) }),
    );
  });
}

/** The SES account as `GET /v2/email/account` reports it. */
export interface SesAccountState {
  productionAccess: boolean;
  sendingEnabled: boolean;
}

/** A proxy in front of moto that also answers SESv2 GetAccount, which moto 5.2.1 does not serve. */
export interface SesAccountProxy {
  readonly endpoint: string;
  /** What the next GetAccount answers; change it between runs. */
  readonly account: SesAccountState;
  /** How many GetAccount calls it answered. */
  readonly getAccountCalls: () => number;
  /**
   * SES identities a stack holds, by stack name: ListStackResources of such a stack answers them
   * (moto's CloudFormation cannot create an AWS::SES::EmailIdentity). Other stacks go to moto.
   */
  readonly stackIdentities: Map<string, string[]>;
  close(): Promise<void>;
}

/** A CloudFormation ListStackResources answer (Query protocol, XML) naming `domains` as SES identities. */
function stackResourcesXml(domains: readonly string[]): string {
  const members = domains
    .map(
      (domain, i) =>
        `<member><LogicalResourceId>NoticesDomain${i}</LogicalResourceId><PhysicalResourceId>${domain}</PhysicalResourceId><ResourceType>AWS::SES::EmailIdentity</ResourceType><LastUpdatedTimestamp>2026-11-01T00:00:00Z</LastUpdatedTimestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>`,
    )
    .join('');
  return `<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStackResourcesResult><StackResourceSummaries>${members}</StackResourceSummaries></ListStackResourcesResult><ResponseMetadata><RequestId>proxy</RequestId></ResponseMetadata></ListStackResourcesResponse>`;
}

/**
 * Forwards every request to moto unchanged, except SESv2 GetAccount: that one it answers with
 * the JSON body the SESv2 API documents (the REST path `GET /v2/email/account`), and
 * ListStackResources of a stack named in `stackIdentities`, answered with the XML the
 * CloudFormation API documents. The CLI's SDK client serializes, signs and parses the real call;
 * only the state is set here.
 */
export async function startSesAccountProxy(target: string): Promise<SesAccountProxy> {
  const account: SesAccountState = { productionAccess: true, sendingEnabled: true };
  const stackIdentities = new Map<string, string[]>();
  let calls = 0;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/v2/email/account') {
      calls += 1;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          DedicatedIpAutoWarmupEnabled: false,
          EnforcementStatus: 'HEALTHY',
          ProductionAccessEnabled: account.productionAccess,
          SendingEnabled: account.sendingEnabled,
          SendQuota: account.productionAccess
            ? { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 }
            : { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 },
        }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && stackIdentities.size > 0) {
        const form = new URLSearchParams(body.toString('utf8'));
        const domains = stackIdentities.get(form.get('StackName') ?? '');
        if (form.get('Action') === 'ListStackResources' && domains) {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(stackResourcesXml(domains));
          return;
        }
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.once('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    account,
    getAccountCalls: () => calls,
    stackIdentities,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
