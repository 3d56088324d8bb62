import { describeSmoke } from './smoke.suite';

describeSmoke('lgcns');
