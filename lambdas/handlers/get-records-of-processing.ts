/**
 * GET /v1/admin/records-of-processing — records of processing (GDPR Art. 30) and the PIPA
 * register, rendered from the catalogue in force, as JSON, HTML or CSV by the Accept header.
 */
import { getRecordsOfProcessingRoute, RECORDS_OF_PROCESSING_TYPES } from '../../model/routes/officer';
import { OFFICER_GROUP } from '../../model/routes/route';
import {
  REGISTER_HEAD,
  recordsDocument,
  recordsOfProcessing,
  registerRows,
  renderCsv,
} from '../../policy/records';
import { renderHtml } from '../../policy/render';
import { catalogueInForce } from '../features/policy-versions/store';
import { negotiate } from '../http/negotiate';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getRecordsOfProcessingRoute,
  async ({ catalogue, headers, recordAccess }) => {
    // Refused before anything is recorded or read: a 406 shows nothing.
    const type = negotiate(headers.accept, RECORDS_OF_PROCESSING_TYPES);
    await recordAccess({ reason: 'records of processing' });
    const c = await catalogueInForce(catalogue, new Date());
    const records = recordsOfProcessing(c, { officerGroup: OFFICER_GROUP });
    const vary = { vary: 'Accept' };
    switch (type) {
      case 'text/html':
        return {
          status: 200,
          body: renderHtml(recordsDocument(c, records)),
          contentType: 'text/html; charset=utf-8',
          headers: vary,
        };
      case 'text/csv':
        return {
          status: 200,
          body: renderCsv(REGISTER_HEAD, registerRows(c, records)),
          contentType: 'text/csv; charset=utf-8; header=present',
          headers: { ...vary, 'content-disposition': 'attachment; filename="records-of-processing.csv"' },
        };
      default:
        return { status: 200, body: records, headers: vary };
    }
  },
  officerEdge,
);
