/**
 * GET /v1/policy — the policy in force, rendered from its catalogue (L3, L17/G18), followed by the
 * announced version while a change is upcoming (L18), in the reader's language (Korean unless
 * ?lang= or Accept-Language asks for English).
 */

import { getPolicyRoute } from '../../model/routes/policy';
import type { POLICY_FORMATS } from '../../model/routes/route';
import { preferredLanguage } from '../../policy/i18n';
import { policyDocument, renderMarkdown, renderPolicyHtml, withUpcoming } from '../../policy/render';
import { policyInForce } from '../features/policy-versions/store';
import { httpRoute } from '../http/route';

type Format = (typeof POLICY_FORMATS)[number];

/** ?format= wins; otherwise the first of the Accept header's types we serve; HTML by default. */
function negotiate(query: Format | undefined, accept: string | undefined): Format {
  if (query) return query;
  for (const range of (accept ?? '').split(',')) {
    const type = range.split(';')[0]!.trim().toLowerCase();
    if (type === 'text/markdown') return 'markdown';
    if (type === 'application/json') return 'json';
    if (type === 'text/html') return 'html';
  }
  return 'html';
}

export const handler = httpRoute(getPolicyRoute, async ({ query, headers, catalogue }) => {
  const policy = await policyInForce(catalogue, new Date());
  const lang = query.lang ?? preferredLanguage(headers['accept-language']);
  const current = policyDocument(policy.current.catalogue, lang);
  const next = policy.upcoming;
  const doc = next
    ? withUpcoming(current, policyDocument(next.catalogue, lang), next.summary ?? '')
    : current;
  const vary = { vary: 'Accept, Accept-Language', 'content-language': lang };
  switch (negotiate(query.format, headers.accept)) {
    case 'markdown':
      return {
        status: 200,
        body: renderMarkdown(doc),
        contentType: 'text/markdown; charset=utf-8',
        headers: vary,
      };
    case 'json':
      return { status: 200, body: doc, headers: vary };
    default:
      return {
        status: 200,
        body: renderPolicyHtml(doc),
        contentType: 'text/html; charset=utf-8',
        headers: vary,
      };
  }
});
