/**
 * Who is calling: the authenticated member or officer a request acts for. The HTTP edge reads it
 * from the token's claims (lambdas/http/principal.ts); use cases receive it and never read a
 * token themselves.
 */
import type { SignInClaim, SignInMethod } from '../../policy/schema';

/** The authenticated caller. */
export interface Principal {
  readonly memberId: string;
  readonly groups: readonly string[];
  readonly method: SignInMethod;
  /** The identifiers the verified token carries (G1, L2), by where they are in it. */
  readonly signInIds: Readonly<Partial<Record<SignInClaim, string>>>;
}
