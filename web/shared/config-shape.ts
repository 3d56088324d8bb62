/** The shape of a page's `config.json`: shared by the pages and the servers that write it. */

/** A page's runtime configuration; nothing secret and nothing personal. */
export interface PageConfig {
  /**
   * The API's base URL without a trailing slash. Absent: the page's own path without its last
   * segment (deployed, the pages live on the API's stage: /prod/privacy calls /prod/v1/...).
   */
  readonly apiBase?: string;
  /** The OAuth 2.0 authorization endpoint (Cognito hosted UI, or the local issuer's sign-in page). */
  readonly authorizeUrl: string;
  /** The OAuth 2.0 token endpoint. */
  readonly tokenUrl: string;
  /** Where signing out ends the hosted session, if anywhere. */
  readonly logoutUrl?: string;
  /** The app client the pages sign in with (public: PKCE, no secret). */
  readonly clientId: string;
  /** The operator profile the stack serves. */
  readonly profile: string;
}
