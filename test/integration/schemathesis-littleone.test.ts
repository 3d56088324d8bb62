import { describeFuzz } from './schemathesis.suite';

describeFuzz('littleone');
