/**
 * GET /v1/admin/breaches/{breachId} — one breach, its clocks, the ledger of its steps and the
 * regulator's report (PIPA Enforcement Decree Art. 40; GDPR Art. 33(3)); by the Accept header,
 * the report alone as HTML or Markdown for the officer to file.
 */
import { BREACH_TYPES, getBreachRoute } from '../../model/routes/breaches';
import { breachDetail } from '../features/breaches/breaches';
import { reportHtml, reportMarkdown } from '../features/breaches/rules';
import { catalogueInForce } from '../features/policy-versions/store';
import { negotiate } from '../http/negotiate';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getBreachRoute,
  async ({ catalogue, headers, path, recordAccess }) => {
    // Refused before anything is recorded or read: a 406 shows nothing.
    const type = negotiate(headers.accept, BREACH_TYPES);
    await recordAccess({
      reason: type === 'application/json' ? 'read a breach' : 'breach report for the regulator',
    });
    const now = new Date();
    const detail = await breachDetail(await catalogueInForce(catalogue, now), path.breachId!, now);
    const vary = { vary: 'Accept' };
    switch (type) {
      case 'text/html':
        return {
          status: 200,
          body: reportHtml(detail.report),
          contentType: 'text/html; charset=utf-8',
          headers: vary,
        };
      case 'text/markdown':
        return {
          status: 200,
          body: reportMarkdown(detail.report),
          contentType: 'text/markdown; charset=utf-8',
          headers: { ...vary, 'content-disposition': `attachment; filename="breach-${detail.breachId}.md"` },
        };
      default:
        return { status: 200, body: detail, headers: vary };
    }
  },
  officerEdge,
);
