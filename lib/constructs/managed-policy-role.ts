import {
  type AddToPrincipalPolicyResult,
  ManagedPolicy,
  type PolicyStatement,
  Role,
  type RoleProps,
} from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * An IAM role whose grants land in one customer-managed policy instead of an inline default
 * policy: the policy is a reviewable, versioned resource (NIST 800-53 AC-6 checks for this).
 */
export class ManagedPolicyRole extends Role {
  /** The customer-managed policy every grant to this role is added to. */
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id, props);
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `Least-privilege permissions of ${this.node.path}`,
      roles: [this],
    });
  }

  /** Adds the statement to {@link policy}; consumers that must wait for it depend on the policy. */
  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
