import { describeFuzz } from './schemathesis.suite';

describeFuzz('lgcns');
