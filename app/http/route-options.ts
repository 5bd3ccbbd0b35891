import type { Runtime } from '../runtime.js';

/** What every route plugin of the HTTP server receives. */
export interface RouteOptions {
  readonly runtime: Runtime;
}
