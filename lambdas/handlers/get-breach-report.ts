/**
 * GET /v1/admin/breaches/{breachId}/report — the regulator's report of a breach (PIPA Enforcement
 * Decree Art. 40; GDPR Art. 33(3)) as JSON, HTML or Markdown by the Accept header.
 */
import { BREACH_REPORT_TYPES, getBreachReportRoute } from '../../model/routes/breaches';
import { reportOf } from '../features/breaches/breaches';
import { reportHtml, reportMarkdown } from '../features/breaches/rules';
import { catalogueInForce } from '../features/policy-versions/store';
import { negotiate } from '../http/negotiate';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getBreachReportRoute,
  async ({ catalogue, headers, path, recordAccess }) => {
    // Refused before anything is recorded or read: a 406 shows nothing.
    const type = negotiate(headers.accept, BREACH_REPORT_TYPES);
    await recordAccess({ reason: 'breach report for the regulator' });
    const now = new Date();
    const report = await reportOf(await catalogueInForce(catalogue, now), path.breachId!, now);
    const vary = { vary: 'Accept' };
    switch (type) {
      case 'text/html':
        return {
          status: 200,
          body: reportHtml(report),
          contentType: 'text/html; charset=utf-8',
          headers: vary,
        };
      case 'text/markdown':
        return {
          status: 200,
          body: reportMarkdown(report),
          contentType: 'text/markdown; charset=utf-8',
          headers: { ...vary, 'content-disposition': `attachment; filename="breach-${report.breachId}.md"` },
        };
      default:
        return { status: 200, body: report, headers: vary };
    }
  },
  officerEdge,
);
