import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { MongoPortfolioStore } from '../../core/infra/mongo-portfolio-store.js';
import { ImportFileError, importPortfolio, MissingColumnError, parseCsv } from '../../core/services/import-portfolio.js';
import type { RouteOptions } from './route-options.js';

/** Largest CSV body: streamed, so this bounds the work, not the memory. */
export const CSV_BODY_LIMIT = 200 * 2 ** 20;
/** Largest JSON body: parsed whole before the import starts. */
export const JSON_BODY_LIMIT = 50 * 2 ** 20;

/** The CSV body went past {@link CSV_BODY_LIMIT}. */
class BodyTooLargeError extends Error {
  readonly code = 'IMPORT_BODY_TOO_LARGE';
}

/** Passes bytes through until `limit`, then fails the stream. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) callback(new BodyTooLargeError(`the CSV body is larger than ${limit / 2 ** 20} MiB`));
      else callback(null, chunk);
    },
  });
}

/**
 * `POST /api/v1/imports`: imports a portfolio, the same as `cobrabot import`.
 * `Content-Type: text/csv` is streamed row by row; `application/json` takes an array of row
 * objects with the CSV's column names as keys. `?dryRun=true` reports without writing.
 *
 * Answers 200 with the import report (even when rows were rejected); 400
 * `{ "error": "missing required column: due_at" }` when a required column is missing (nothing
 * written), or for a body that is not a JSON array or not CSV; 413 for a body too large; 415
 * for any other content type. Authentication is the enclosing scope's business.
 * The server mounts this plugin under its `/api/v1` admin scope.
 */
export async function importsRoutes(app: FastifyInstance, opts: RouteOptions): Promise<void> {
  // Scoped to this plugin: the raw request stream becomes the body, read as the import goes.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));

  app.post<{ Querystring: Record<string, unknown>; Body: unknown }>('/imports', { bodyLimit: JSON_BODY_LIMIT }, async (request, reply) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    let rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
    let upload: Readable | undefined;
    if (type === 'text/csv') {
      upload = request.body as Readable;
      const limited = byteLimit(CSV_BODY_LIMIT);
      // pipe() does not forward errors (a client that hangs up mid-upload).
      upload.on('error', (error: Error) => limited.destroy(error));
      rows = parseCsv(upload.pipe(limited));
    } else if (type === 'application/json') {
      if (!Array.isArray(request.body)) {
        return reply.code(400).send({ error: 'the body must be a JSON array of row objects' });
      }
      rows = request.body as Record<string, unknown>[];
    } else {
      return reply.code(415).send({ error: 'send the portfolio as Content-Type text/csv or application/json' });
    }

    const dryRun = request.query.dryRun === 'true' || request.query.dryRun === '1';
    const { config, db } = opts.runtime;
    try {
      const report = await importPortfolio(rows, new MongoPortfolioStore(db.models), {
        dryRun,
        defaults: { language: config.defaultLocale, timezone: config.defaultTimezone },
      });
      return reply.header('cache-control', 'no-store').send(report);
    } catch (error) {
      if (error instanceof MissingColumnError || error instanceof ImportFileError) {
        return reply.code(400).send({ error: error.message });
      }
      if (error instanceof BodyTooLargeError) return reply.code(413).header('connection', 'close').send({ error: error.message });
      throw error;
    } finally {
      // A refused upload stops being read part-way: discard the rest, or the connection stalls
      // with the client still sending.
      if (upload && !upload.readableEnded) {
        upload.unpipe();
        upload.resume();
      }
    }
  });
}
