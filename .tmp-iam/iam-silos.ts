import { Template } from 'aws-cdk-lib/assertions';
import { createPrivacyApp } from '../lib/app-factory';
import { LOCAL_ACCOUNT, REGION } from '../local/bootstrap';
import { type TableName, tableEnv, tables } from '../model/resources';
import { profiles } from '../policy/catalogue';
import { checkRecordings, explains } from '../test/support/iam/check';
import { callsDir, readRecordings } from '../test/support/iam/recordings';
import { UNUSED_GRANTS } from '../test/iam/unused-grants';
const templates = Object.fromEntries(Object.keys(profiles).map((p) => {
  const { stack } = createPrivacyApp({ context: { profile: p, 'aws:cdk:bundling-stacks': [] }, env: {} });
  return [p, { template: Template.fromStack(stack).toJSON(), partitionKeyOf: (tn: string, env: Record<string,string>) => { const n = (Object.keys(tables) as TableName[]).find((t) => env[tableEnv(t)] === tn); return n ? tables[n].partitionKey.name : undefined; } }];
}));
const report = checkRecordings(readRecordings(callsDir(), []), templates as never, { partition: 'aws', region: REGION, account: LOCAL_ACCOUNT });
const un = report.unused.filter((g) => !UNUSED_GRANTS.some((r) => explains(r, g)));
const mine = un.filter((g: any) => g.resourceType === "literal" || /events/.test(g.action) || /callbacks/.test(g.resource));
for (const g of mine) console.log(JSON.stringify(g));
