import { describeSmoke } from './smoke.suite';

describeSmoke('littleone');
