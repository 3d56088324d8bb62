import { ArnFormat, Fn, Stack } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  type Model,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { Route } from '../../model/routes/route';
import { routeGrants } from '../../model/routes/route';
import { routesOf } from '../../model/routes/table';
import type { Catalogue } from '../../policy/schema';
import { API_DEFAULTS, RETAINED } from '../defaults';
import { bodyModelSchema, queryParameters } from '../json-schema';
import { type BindableResources, PrivacyFunction } from './privacy-function';

/** Properties of {@link Api}. */
export interface ApiProps {
  /** The catalogue: it decides which routes exist and what bodies look like. */
  readonly catalogue: Catalogue;
  /** Validates members' and officers' tokens on every non-public route. */
  readonly userPool: IUserPool;
  /** What route functions may be bound to. */
  readonly resources: BindableResources;
  /** Encrypts the access and execution log groups, and the functions' log groups. */
  readonly logsKey: IKey;
  /** Days logs are kept: the catalogue's access-log period, rounded up. */
  readonly logRetentionDays: number;
  /** @default API_DEFAULTS.stageName ('prod') */
  readonly stageName?: string;
  /** @default API_DEFAULTS.throttlingRateLimit (50 requests per second) */
  readonly throttlingRateLimit?: number;
  /** @default API_DEFAULTS.throttlingBurstLimit (100 requests) */
  readonly throttlingBurstLimit?: number;
  /** @default API_DEFAULTS.requestsPerIpPer5Minutes (1000) */
  readonly requestsPerIpPer5Minutes?: number;
}

/** The API Gateway model name of a route's body, e.g. `post-consent` → `PostConsentBody`. */
export function modelName(route: Route): string {
  return `${route.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}Body`;
}

/**
 * The name of the web ACL's log group: WAF's required `aws-waf-logs-` prefix, the stack name,
 * and the first block of the stack's id, which CloudFormation makes anew for every stack it creates.
 */
export function firewallLogGroupName(stack: Stack): string {
  const stackUuid = Fn.select(2, Fn.split('/', stack.stackId));
  return `aws-waf-logs-${stack.stackName}-${Fn.select(0, Fn.split('-', stackUuid))}`;
}

/** What every access-log line records: who called what, from where, when, with what outcome. */
const ACCESS_LOG_FIELDS = {
  requestId: AccessLogField.contextRequestId(),
  time: AccessLogField.contextRequestTimeEpoch(),
  ip: AccessLogField.contextIdentitySourceIp(),
  method: AccessLogField.contextHttpMethod(),
  // The template, not the path: ids in paths are nobody's business in a log.
  resource: AccessLogField.contextResourcePath(),
  status: AccessLogField.contextStatus(),
  member: AccessLogField.contextAuthorizerClaims('sub'),
  latencyMs: AccessLogField.contextResponseLatency(),
  error: AccessLogField.contextErrorResponseType(),
  waf: AccessLogField.contextWafResponseCode(),
};

/**
 * The REST API: one method per route the profile has, each proxied to its own function,
 * Cognito-authorized unless public, with bodies validated against models converted from the
 * route's schema. Regional endpoint (traffic terminates in Seoul), JSON access logs encrypted
 * and kept for the catalogue's period, stage throttling and a web ACL with per-IP limits.
 */
export class Api extends Construct {
  /** The REST API. */
  readonly restApi: RestApi;
  /** Each route's function, by route id. */
  readonly functions: Readonly<Record<string, PrivacyFunction>>;
  /** Each route's method, by route id. */
  readonly methods: Readonly<Record<string, Method>>;
  /** Each body model, by route id. */
  readonly models: Readonly<Record<string, Model>>;
  /** JSON access logs. */
  readonly accessLogs: LogGroup;
  /** API Gateway's own execution logs, created here so they are encrypted and expire. */
  readonly executionLogs: LogGroup;
  /** The web ACL in front of the stage. */
  readonly webAcl: CfnWebACL;
  /** Requests the web ACL blocked, and nothing else. */
  readonly firewallLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? API_DEFAULTS.stageName;
    const retention = props.logRetentionDays as RetentionDays;

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention,
      encryptionKey: props.logsKey,
      removalPolicy: RETAINED,
    });

    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: `privacy-${props.catalogue.profile}`,
      description: `Privacy rights API of ${props.catalogue.operator.service.en}`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // The account-level role lets API Gateway write execution logs (AWS managed policy).
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RETAINED,
      failOnWarnings: true,
      deployOptions: {
        stageName,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        // Errors only, never request or response bodies: those carry personal data.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? API_DEFAULTS.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit ?? API_DEFAULTS.throttlingBurstLimit,
      },
    });

    this.executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${stageName}`,
      retention,
      encryptionKey: props.logsKey,
      removalPolicy: RETAINED,
    });
    // If the stage wrote first, API Gateway would create the group unencrypted and forever.
    this.restApi.deploymentStage.node.addDependency(this.executionLogs);

    // Refusals by the gateway itself carry the same caching rules as the handlers' answers.
    for (const type of [ResponseType.DEFAULT_4XX, ResponseType.DEFAULT_5XX]) {
      this.restApi.addGatewayResponse(`${type.responseType}Headers`, {
        type,
        responseHeaders: {
          'Cache-Control': "'no-store'",
          'X-Content-Type-Options': "'nosniff'",
          'Strict-Transport-Security': "'max-age=63072000; includeSubDomains'",
        },
      });
    }

    // Created with the first non-public route: an authorizer no method uses fails synth.
    let authorizer: CognitoUserPoolsAuthorizer | undefined;
    const authorizerOf = () => {
      authorizer ??= new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
        cognitoUserPools: [props.userPool],
        authorizerName: 'members',
      });
      return authorizer;
    };
    const validator = new RequestValidator(this, 'Validator', {
      restApi: this.restApi,
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const functions: Record<string, PrivacyFunction> = {};
    const methods: Record<string, Method> = {};
    const models: Record<string, Model> = {};
    for (const route of routesOf(props.catalogue)) {
      const fn = new PrivacyFunction(this, route.id, {
        handler: route.id,
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        profile: props.catalogue.profile,
        grants: routeGrants(route),
        resources: props.resources,
        logsKey: props.logsKey,
        logRetentionDays: props.logRetentionDays,
      });
      functions[route.id] = fn;

      const body = route.body?.(props.catalogue);
      const query = route.query?.(props.catalogue);
      if (body) {
        models[route.id] = this.restApi.addModel(`${modelName(route)}Model`, {
          modelName: modelName(route),
          contentType: 'application/json',
          schema: bodyModelSchema(body),
        });
      }
      const model = models[route.id];
      const isPublic = route.access === 'public';
      methods[route.id] = this.restApi.root
        .resourceForPath(route.path)
        .addMethod(
          route.method,
          new LambdaIntegration(fn.function, { proxy: true, allowTestInvoke: false }),
          {
            operationName: route.id,
            ...(isPublic
              ? { authorizationType: AuthorizationType.NONE }
              : { authorizationType: AuthorizationType.COGNITO, authorizer: authorizerOf() }),
            ...(body || query ? { requestValidator: validator } : {}),
            ...(model ? { requestModels: { 'application/json': model } } : {}),
            ...(query ? { requestParameters: queryParameters(query) } : {}),
          },
        );
    }
    this.functions = functions;
    this.methods = methods;
    this.models = models;

    this.webAcl = this.firewall(props.requestsPerIpPer5Minutes ?? API_DEFAULTS.requestsPerIpPer5Minutes);
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF writes only to groups named aws-waf-logs-*. The group outlives the stack, so its name
    // carries this stack's own id: a redeploy after `cdk destroy`, or the other profile's stack
    // in the same account, never finds the name taken.
    const firewallLogsName = firewallLogGroupName(Stack.of(this));
    this.firewallLogs = new LogGroup(this, 'FirewallLogs', {
      logGroupName: firewallLogsName,
      retention,
      encryptionKey: props.logsKey,
      removalPolicy: RETAINED,
    });
    const firewallLogging = new CfnLoggingConfiguration(this, 'FirewallLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: firewallLogsName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Tokens never reach a log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
      // Only what the firewall blocked: allowed requests are already in the access log.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }],
          },
        ],
      },
    });
    firewallLogging.node.addDependency(this.firewallLogs);
  }

  /** A regional web ACL: AWS managed rules against common exploits, and a per-IP rate limit. */
  private firewall(limit: number): CfnWebACL {
    // Sampled requests would keep callers' IPs and headers outside the policy's retention.
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: false,
    });
    const managed = (name: string, priority: number) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });
    return new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('PrivacyApi'),
      rules: [
        managed('AWSManagedRulesCommonRuleSet', 0),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
        {
          name: 'RequestsPerIp',
          priority: 2,
          action: { block: {} },
          statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RequestsPerIp'),
        },
      ],
    });
  }
}
