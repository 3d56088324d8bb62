#!/usr/bin/env node
/** The CDK app: `cdk synth -c profile=<name>` builds one operator's privacy stack in Seoul. */
import { buildOrExplain } from '../lib/app-factory';

const built = buildOrExplain({}, (line) => console.error(line));
if (built) built.app.synth();
else process.exitCode = 1;
