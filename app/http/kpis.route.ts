import type { FastifyInstance } from 'fastify';
import type { RouteOptions } from './route-options.js';

/** Placeholder: being written. */
export async function kpisRoutes(_app: FastifyInstance, _opts: RouteOptions): Promise<void> {}
