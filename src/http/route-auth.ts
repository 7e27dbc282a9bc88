import type { Config } from '../config';
import type { FunctionEvent } from './request';

/** How a route's caller proves who they are, as the OpenAPI document names it (`components.securitySchemes`). */
export interface SecurityScheme {
  /** The scheme's key in the document. */
  name: 'adminToken' | 'proofToken';
  type: 'http';
  scheme: 'bearer';
  bearerFormat?: string;
  description: string;
}

/**
 * A route's `auth`: the check (throws the API's error for a caller who may not call, or answers
 * who is calling) and the OpenAPI scheme it implements, declared together so they cannot drift.
 */
export interface RouteAuth<Who> {
  scheme: SecurityScheme;
  check(event: FunctionEvent, config: Config): Who | Promise<Who>;
}
