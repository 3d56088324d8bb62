/** The local stack end to end for the littleone profile (its own moto server and front). */
import { describeLocalStack } from './local-stack.suite';

describeLocalStack('littleone');
