/**
 * The browsable API reference at /docs: Swagger UI from the swagger-ui-dist package, reading
 * the OpenAPI document the API itself serves. Assets are served from node_modules by name, from
 * a fixed list, so no request path ever reaches the file system.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the page and its assets live on the front. */
export const DOCS_PATH = '/docs';
const ASSETS_PATH = `${DOCS_PATH}/assets/`;

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const distDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The HTML page: Swagger UI loading `openapiUrl`. */
export function docsPage(openapiUrl: string): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>API reference</title>
    <link rel="stylesheet" href="${ASSETS_PATH}swagger-ui.css">
    <link rel="icon" type="image/png" href="${ASSETS_PATH}favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui" data-openapi-url="${openapiUrl}"></div>
    <script src="${ASSETS_PATH}swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/init.js"></script>
  </body>
</html>
`;
}

/** Starts Swagger UI; a separate file so the page needs no inline script. */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-openapi-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
`;

/** A response body for a docs path, or undefined when the path is not one of ours. */
export async function docsResponse(
  path: string,
  openapiUrl: string,
): Promise<{ body: string | Buffer; contentType: string } | undefined> {
  if (path === DOCS_PATH || path === `${DOCS_PATH}/`) {
    return { body: docsPage(openapiUrl), contentType: 'text/html; charset=utf-8' };
  }
  if (path === `${DOCS_PATH}/init.js`)
    return { body: INIT_SCRIPT, contentType: 'text/javascript; charset=utf-8' };
  if (path.startsWith(ASSETS_PATH)) {
    const name = path.slice(ASSETS_PATH.length);
    const contentType = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!contentType) return undefined;
    return { body: await readFile(join(distDir, name)), contentType };
  }
  return undefined;
}
