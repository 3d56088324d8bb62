/**
 * The pages people use (/privacy, /console), served by the API's own stage in Seoul: each built
 * file (web/build.ts, content-hashed) is a GET method whose mock integration answers the file
 * itself. No bucket, no CDN, no function: the pages live in the API deployment, in the stack's
 * region, with the same WAF in front, and every answer carries the pages' CSP and security headers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import {
  AuthorizationType,
  type IResource,
  type Method,
  MockIntegration,
  PassthroughBehavior,
  type RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { CfnUserPoolClient, UserPoolClient, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  buildPagesSync,
  contentSecurityPolicy,
  contentTypeOf,
  PAGES,
  type Page,
  pageHeaders,
} from '../../web/build';
import type { PageConfig } from '../../web/shared/config-shape';

/**
 * API Gateway's limit on one mapping template is 300 KB (a hard quota); a page file, base64
 * encoded, must fit with room to spare.
 */
export const MAX_PAGE_FILE_BYTES = 200 * 1024;

/** Properties of {@link Pages}. */
export interface PagesProps {
  readonly restApi: RestApi;
  /** The stage the API is deployed to: the pages' URLs carry it. */
  readonly stageName: string;
  readonly profile: string;
  /** The app client the pages sign in with: its callback and logout URLs gain the pages'. */
  readonly client: UserPoolClient;
  /** The hosted sign-in domain (authorization code + PKCE). */
  readonly domain: UserPoolDomain;
  /** Where to build the pages. @default a new temporary directory */
  readonly outDir?: string;
}

/** Each page's files as GET methods of the REST API. */
export class Pages extends Construct {
  /** Every method serving a page file, by its path (e.g. /privacy/assets/main-AB12.js). */
  readonly methods: Readonly<Record<string, Method>>;
  /** What each page file's method answers, by its path: the built file, byte for byte. */
  readonly files: Readonly<Record<string, Buffer>>;
  /** The pages' URLs on the stage (their OAuth redirect URIs), by page. */
  readonly urls: Readonly<Record<Page, string>>;

  constructor(scope: Construct, id: string, props: PagesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const outDir = props.outDir ?? mkdtempSync(join(tmpdir(), 'privacy-pages-'));
    const built = buildPagesSync(outDir);
    const signIn = props.domain.baseUrl();
    const csp = contentSecurityPolicy([signIn]);
    // The hosted domain is https://<prefix>.auth.<region>.amazoncognito.com: from the resource, no stage.
    const base = `https://${props.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${props.stageName}`;
    this.urls = Object.fromEntries(PAGES.map((p) => [p, `${base}/${p}`])) as Record<Page, string>;

    const methods: Record<string, Method> = {};
    const files: Record<string, Buffer> = {};
    const serve = (path: string, contentType: string, cache: string, template: string) => {
      const resource = path
        .split('/')
        .filter(Boolean)
        .reduce<IResource>(
          (parent, part) => parent.getResource(part) ?? parent.addResource(part),
          props.restApi.root,
        );
      methods[path] = resource.addMethod('GET', fileIntegration(contentType, cache, csp, template), {
        operationName: `page${path.replace(/[^A-Za-z0-9]+/g, '-')}`,
        authorizationType: AuthorizationType.NONE,
        methodResponses: [{ statusCode: '200', responseParameters: methodHeaders() }],
      });
    };
    for (const file of built.files) {
      const body = readFileSync(join(outDir, file.path));
      if (body.length > MAX_PAGE_FILE_BYTES)
        throw new Error(
          `The page file ${file.path} is ${body.length} bytes: more than ${MAX_PAGE_FILE_BYTES}.`,
        );
      const isIndex = file.path.endsWith('/index.html');
      // The page's own address is /<page>, without a trailing slash (its assets are relative to it).
      const path = isIndex ? `/${file.path.replace(/\/index\.html$/, '')}` : `/${file.path}`;
      // Content-hashed assets never change; the page itself is fetched fresh each time.
      const cache = isIndex ? 'no-store' : 'public, max-age=31536000, immutable';
      files[path] = body;
      serve(path, contentTypeOf(file.path), cache, `$util.base64Decode("${body.toString('base64')}")`);
    }
    for (const page of PAGES) {
      const config: PageConfig = {
        authorizeUrl: `${signIn}/oauth2/authorize`,
        tokenUrl: `${signIn}/oauth2/token`,
        logoutUrl: `${signIn}/logout`,
        clientId: props.client.userPoolClientId,
        profile: props.profile,
      };
      // Ids and URLs only: nothing a mapping template would read as a reference or a directive.
      serve(`/${page}/config.json`, contentTypeOf('.json'), 'no-store', JSON.stringify(config));
    }
    this.methods = methods;
    this.files = files;
    // Every file is in the template now: a directory of our own is not needed any more.
    if (!props.outDir) rmSync(outDir, { recursive: true, force: true });

    // The hosted sign-in sends people back to the pages only: their URLs join the app client's.
    const client = props.client.node.defaultChild as CfnUserPoolClient;
    const urls = Object.values(this.urls);
    client.callbackUrLs = [...(client.callbackUrLs ?? []), ...urls];
    client.logoutUrLs = [...(client.logoutUrLs ?? []), ...urls];
  }
}

/** Response headers every page file declares; values are set by the integration response. */
function methodHeaders(): Record<string, boolean> {
  const names = ['Content-Type', 'Cache-Control', 'Content-Security-Policy', ...headerNames()];
  return Object.fromEntries(names.map((n) => [`method.response.header.${n}`, true]));
}

/** The pages' security headers other than the CSP, in their canonical spelling. */
function headerNames(): string[] {
  return Object.keys(pageHeaders())
    .filter((name) => name !== 'content-security-policy')
    .map((name) => name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()));
}

function fileIntegration(contentType: string, cache: string, csp: string, template: string): MockIntegration {
  const headers = pageHeaders();
  const statics: Record<string, string> = {
    'method.response.header.Content-Type': `'${contentType}'`,
    'method.response.header.Cache-Control': `'${cache}'`,
  };
  for (const name of headerNames())
    statics[`method.response.header.${name}`] = `'${headers[name.toLowerCase()]}'`;
  return new MockIntegration({
    passthroughBehavior: PassthroughBehavior.NEVER,
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [
      {
        statusCode: '200',
        responseParameters: statics,
        // A static header value cannot hold the CSP's quotes ('self'): the template sets it.
        responseTemplates: {
          'application/json': `#set($context.responseOverride.header.Content-Security-Policy = "${csp}")\n${template}`,
        },
      },
    ],
  });
}
