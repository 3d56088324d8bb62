import { join } from 'node:path';
import { bundleFunctions as bundleHandlers } from '../lib/bundling';
const [dir, name] = [process.argv[2]!, process.argv[3]!];
const meta = await bundleHandlers({ [name]: join(process.cwd(), `lambdas/handlers/${name}.ts`) }, dir, 'littleone');
for (const [, out] of Object.entries(meta.outputs)) for (const [p, i] of Object.entries(out.inputs)) if (!p.includes('node_modules') || p.includes('node-http')) console.log(p, i.bytesInOutput);
