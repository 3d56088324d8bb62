/** GET /v1/openapi.json — this API as an OpenAPI 3.1 document. */

import { openApiDocument } from '../../model/routes/openapi';
import { getOpenapiRoute } from '../../model/routes/policy';
import { httpRoute } from '../http/route';

let document: Record<string, unknown> | undefined;

export const handler = httpRoute(getOpenapiRoute, async ({ catalogue }) => {
  document ??= openApiDocument(catalogue);
  return { status: 200, body: document };
});
