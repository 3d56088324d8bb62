/**
 * The pages in the synthesized stack (lgcns: it synthesizes without bundling handlers): each
 * built file answered by the API's own stage in Seoul, byte for byte, with the pages' CSP and
 * security headers; the hosted sign-in's app client sends people back to the pages only; no
 * bucket, distribution or function is added for them; cdk-nag has nothing open.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../web/build';
import { type Cfn, type CfnResource, type Synthesized, synthesize } from './synth';

let s: Synthesized;
let mocks: [string, CfnResource][];
beforeAll(() => {
  s = synthesize('lgcns');
  mocks = Object.entries(s.json.Resources).filter(
    ([, r]) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.Integration?.Type === 'MOCK',
  );
});

const idOf = (construct: { node: { defaultChild?: unknown } } | object) =>
  s.stack.getLogicalId(
    (construct as { node: { defaultChild: never } }).node.defaultChild ?? (construct as never),
  );

/** The response template of a page method, with CDK's joins flattened (tokens as `<Ref>`). */
function templateOf(method: CfnResource): string {
  const template: Cfn =
    method.Properties.Integration.IntegrationResponses[0].ResponseTemplates['application/json'];
  if (typeof template === 'string') return template;
  return (template['Fn::Join'][1] as Cfn[])
    .map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part)}>`))
    .join('');
}

/** The path of a method, from its resource chain. */
function pathOf(method: CfnResource): string {
  const parts: string[] = [];
  let ref: Cfn = method.Properties.ResourceId;
  while (ref?.Ref) {
    const resource = s.json.Resources[ref.Ref]!;
    parts.unshift(resource.Properties.PathPart);
    ref = resource.Properties.ParentId;
  }
  return `/${parts.join('/')}`;
}

describe('the pages in the stack', () => {
  it('serves every built file at its path with a GET method answering it byte for byte', () => {
    const files = s.stack.pages.files;
    expect(Object.keys(files).sort()).toEqual(
      expect.arrayContaining(['/privacy', '/console', ...PAGES.map((p) => `/${p}`)]),
    );
    const served = new Map(mocks.map(([, m]) => [pathOf(m), m]));
    for (const [path, body] of Object.entries(files)) {
      const method = served.get(path);
      expect(method, path).toBeDefined();
      expect(method!.Properties.HttpMethod).toBe('GET');
      expect(method!.Properties.AuthorizationType).toBe('NONE');
      const encoded = /\$util\.base64Decode\("([A-Za-z0-9+/=]+)"\)$/.exec(templateOf(method!))?.[1];
      expect(Buffer.from(encoded!, 'base64').equals(body), path).toBe(true);
      // What a mapping template might read as a reference or directive never reaches it raw.
      expect(
        [...body].every((byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127)),
      ).toBe(true);
    }
    // Each page names only files the stack serves: no CDN, no other origin.
    for (const page of PAGES) {
      const html = files[`/${page}`]!.toString('utf8');
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThanOrEqual(2);
      for (const ref of refs) {
        expect(ref).toMatch(new RegExp(`^${page}/assets/main-[A-Z0-9]+\\.(js|css)$`));
        expect(served.has(`/${ref}`), ref).toBe(true);
      }
      expect(served.has(`/${page}/config.json`)).toBe(true);
    }
  });

  it('answers every page file with the CSP (no unsafe-inline) and the security headers', () => {
    expect(mocks.length).toBeGreaterThanOrEqual(PAGES.length * 4);
    for (const [id, method] of mocks) {
      const template = templateOf(method);
      const csp = /Content-Security-Policy = "(.*)"\)\n/.exec(template)?.[1] ?? '';
      expect(csp, id).toContain("default-src 'none'");
      expect(csp, id).toContain("script-src 'self';");
      expect(csp, id).toContain("style-src 'self';");
      expect(csp, id).toContain("frame-ancestors 'none'");
      expect(csp, id).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      // The only other origin is the hosted sign-in's token endpoint, in Seoul.
      expect(csp, id).toMatch(
        /connect-src 'self' https:\/\/<\{"Ref":"[^"]+"\}>\.auth\.ap-northeast-2\.amazoncognito\.com;/,
      );
      const headers = method.Properties.Integration.IntegrationResponses[0].ResponseParameters;
      expect(headers['method.response.header.X-Content-Type-Options']).toBe("'nosniff'");
      expect(headers['method.response.header.X-Frame-Options']).toBe("'DENY'");
      expect(headers['method.response.header.Referrer-Policy']).toBe("'no-referrer'");
      expect(headers['method.response.header.Strict-Transport-Security']).toContain('max-age=');
      expect(headers['method.response.header.Cache-Control']).toMatch(
        /^'(no-store|public, max-age=31536000, immutable)'$/,
      );
      expect(Object.keys(headers)).not.toContain('method.response.header.Set-Cookie');
    }
  });

  it('gives each page a config naming the hosted sign-in and the app client, nothing secret', () => {
    for (const page of PAGES) {
      const [, method] = mocks.find(([, m]) => pathOf(m) === `/${page}/config.json`)!;
      const template = templateOf(method);
      const clientId = idOf(s.stack.identity.client);
      expect(template).toContain(`"clientId":"<{"Ref":"${clientId}"}>"`);
      expect(template).toMatch(
        /"authorizeUrl":"https:\/\/<[^>]+>\.auth\.ap-northeast-2\.amazoncognito\.com\/oauth2\/authorize"/,
      );
      expect(template).toMatch(
        /"tokenUrl":"https:\/\/<[^>]+>\.auth\.ap-northeast-2\.amazoncognito\.com\/oauth2\/token"/,
      );
      expect(template).not.toMatch(/secret/i);
    }
  });

  it("adds the pages' URLs on the stage to the app client's callback and logout URLs, with code flow only", () => {
    const client = s.json.Resources[idOf(s.stack.identity.client)]!.Properties;
    const restApi = idOf(s.stack.api.restApi);
    for (const page of PAGES) {
      const url = {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: restApi },
            '.execute-api.ap-northeast-2.',
            { Ref: 'AWS::URLSuffix' },
            `/prod/${page}`,
          ],
        ],
      };
      expect(client.CallbackURLs).toContainEqual(url);
      expect(client.LogoutURLs).toContainEqual(url);
    }
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.GenerateSecret).toBe(false);
  });

  it('adds no bucket, distribution or function for the pages, and leaves no cdk-nag finding open', () => {
    const types = Object.values(s.json.Resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::CloudFront::Distribution');
    expect(types).not.toContain('Custom::CDKBucketDeployment');
    const report = JSON.parse(readFileSync(join(s.assemblyDir, 'validation-report.json'), 'utf8'));
    expect((report.pluginReports ?? []).flatMap((r: Cfn) => r.violations ?? [])).toEqual([]);
  });
});
