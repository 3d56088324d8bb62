import type { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type Subscription, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  BREACH_DEADLINES_MISSED_METRIC,
  BREACH_DEADLINES_NEAR_METRIC,
  LAGGING_SILOS_METRIC,
  METRIC_NAMESPACE,
  OVERDUE_ACCESS_REVIEWS_METRIC,
  OVERDUE_REQUESTS_METRIC,
  PROFILE_DIMENSION,
} from '../../model/metrics';
import { ALARM_DEFAULTS } from '../defaults';

/** Properties of {@link Monitoring}. */
export interface MonitoringProps {
  /** Encrypts the alarm topic. */
  readonly topicKey: IKey;
  /** @default ALARM_DEFAULTS.period (5 minutes) */
  readonly period?: Duration;
  /**
   * An address subscribed to the alarm topic; SNS mails it a confirmation link first.
   * @default - no subscriber: subscribe one after the deploy
   */
  readonly alarmEmail?: string;
}

/**
 * Alarms that mean a privacy duty may be slipping: a job that failed (a deletion did not
 * happen), a dead letter (a job never ran), or the API failing members. All go to one
 * encrypted topic that operators subscribe to.
 */
export class Monitoring extends Construct {
  /** Where every alarm publishes. */
  readonly alarmTopic: Topic;
  /** Every alarm created so far. */
  readonly alarms: Alarm[] = [];
  /** The `alarmEmail` subscription, when one was asked for. */
  readonly emailSubscription?: Subscription;
  private readonly action: SnsAction;
  private readonly period: Duration;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.period = props.period ?? ALARM_DEFAULTS.period;
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Privacy stack alarms',
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    this.action = new SnsAction(this.alarmTopic);
    if (props.alarmEmail) {
      this.emailSubscription = this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    }
  }

  private register(alarm: Alarm): Alarm {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Alarms as soon as a dead-letter queue holds a message. */
  alarmOnDeadLetters(id: string, queue: IQueue, what: string): Alarm {
    return this.register(
      new Alarm(this, id, {
        alarmDescription: `A dead letter is waiting: ${what} did not run. Inspect and redrive the queue.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: this.period, statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms on any error of a function. */
  alarmOnErrors(id: string, fn: IFunction, what: string): Alarm {
    return this.register(
      new Alarm(this, id, {
        alarmDescription: `${what} failed; a retention or deletion duty may not have been met.`,
        metric: fn.metricErrors({ period: this.period, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms on any 5XX answer of the API. */
  alarmOnServerErrors(id: string, api: RestApi): Alarm {
    return this.register(
      new Alarm(this, id, {
        alarmDescription:
          'The privacy API answered with server errors; members may be unable to exercise rights.',
        metric: api.metricServerError({ period: this.period, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms when the daily digest job counts a rights request past its deadline (L14/G10). */
  alarmOnOverdueRequests(id: string, profile: string): Alarm {
    return this.alarmOnDigestCount(
      id,
      OVERDUE_REQUESTS_METRIC,
      profile,
      'A rights request is past its statutory deadline. See GET /v1/admin/requests?overdue=true.',
    );
  }

  /**
   * Alarms when the daily digest job counts a silo of a withdrawal unanswered past its threshold
   * (a custom system past its `answerWithin`, a table or bucket whose steps keep failing).
   */
  alarmOnLaggingSilos(id: string, profile: string): Alarm {
    return this.alarmOnDigestCount(
      id,
      LAGGING_SILOS_METRIC,
      profile,
      "An operator's data silo has not answered a withdrawal in time. See the `laggingSilos` of GET /v1/admin/requests.",
    );
  }

  /**
   * Alarms when the daily digest job counts a monthly review of handler access records still
   * open past its due day (Korean safety standard Art. 8).
   */
  alarmOnOverdueAccessReviews(id: string, profile: string): Alarm {
    return this.alarmOnDigestCount(
      id,
      OVERDUE_ACCESS_REVIEWS_METRIC,
      profile,
      'A monthly review of handler access records is past its due day unsigned. See GET /v1/admin/access-reviews.',
    );
  }

  /**
   * Alarms when the hourly breach clocks job counts a clock (members told, regulator reported)
   * unmet within the catalogue's warning hours of its 72-hour deadline (PIPA Art. 34).
   */
  alarmOnBreachDeadlinesNear(id: string, profile: string): Alarm {
    return this.alarmOnDigestCount(
      id,
      BREACH_DEADLINES_NEAR_METRIC,
      profile,
      'A breach clock is about to run out: members not all told, or the regulator not reported. See GET /v1/admin/breaches.',
    );
  }

  /** Alarms when the hourly breach clocks job counts a clock past its deadline (PIPA Art. 34; GDPR Art. 33). */
  alarmOnBreachDeadlinesMissed(id: string, profile: string): Alarm {
    return this.alarmOnDigestCount(
      id,
      BREACH_DEADLINES_MISSED_METRIC,
      profile,
      'A breach clock has run out: members not all told, or the regulator not reported, within 72 hours. See GET /v1/admin/breaches.',
    );
  }

  /** Alarms when a count a scheduled job emits for `profile` is above 0. */
  private alarmOnDigestCount(id: string, metricName: string, profile: string, description: string): Alarm {
    return this.register(
      new Alarm(this, id, {
        alarmDescription: description,
        metric: new Metric({
          namespace: METRIC_NAMESPACE,
          metricName,
          dimensionsMap: { [PROFILE_DIMENSION]: profile },
          period: this.period,
          statistic: 'Maximum',
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
