/** Records of processing (GDPR Art. 30) on the local stack of the lgcns profile. */
import { recordsOfProcessingSuite } from './records-of-processing.suite';

recordsOfProcessingSuite('lgcns');
