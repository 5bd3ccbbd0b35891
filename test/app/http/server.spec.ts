import { expect } from 'chai';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../app/http/server.js';
import type { Runtime } from '../../../app/runtime.js';
import { loadConfig } from '../../../core/infra/config.js';
import { createLogger } from '../../../core/infra/logger.js';
import { useTestDatabase } from '../../support/database.js';

const TOKEN = 'test-admin-token-0123456789';

describe('HTTP server', () => {
  const db = useTestDatabase();
  const runtime = (): Runtime => ({ config: loadConfig({}), db: db(), close: async () => undefined });
  const logLines: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });

  describe('with an admin token', () => {
    let app: FastifyInstance;
    before(async () => {
      app = await buildServer(runtime(), { adminToken: TOKEN, logger: createLogger('info', logSink) });
      // Test-only routes, added before the server is ready.
      app.get('/test/boom', async () => {
        throw new Error('secret internal detail');
      });
      app.post('/test/echo', async (request) => request.body);
    });
    after(() => app.close());

    it('answers /healthz 200 with the database up', async () => {
      const res = await app.inject('/healthz');
      expect(res.statusCode).to.equal(200);
      expect(res.json()).to.deep.equal({ status: 'ok', db: 'up' });
    });

    it('serves Prometheus text on /metrics, counting requests by method, route and status', async () => {
      await app.inject('/healthz');
      const res = await app.inject('/metrics');
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
      expect(res.body).to.match(/^# HELP http_requests_total /m);
      expect(res.body).to.match(/^http_requests_total\{method="GET",route="\/healthz",status_code="200"\} [1-9]\d*$/m);
      expect(res.body).to.match(/^http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/healthz",status_code="200"\} \d+$/m);
      expect(res.body).to.include('process_cpu_user_seconds_total');
    });

    it('labels metrics with route patterns, never raw URLs or query strings', async () => {
      await app.inject('/debtors/DEMO-001?phone=%2B525512345678');
      const res = await app.inject('/metrics');
      expect(res.body).to.match(/^http_requests_total\{method="GET",route="unmatched",status_code="404"\} \d+$/m);
      expect(res.body).not.to.include('525512345678');
      expect(res.body).not.to.include('DEMO-001');
    });

    it('refuses the admin API without a token (401, JSON)', async () => {
      const res = await app.inject('/api/v1/kpis');
      expect(res.statusCode).to.equal(401);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.json()).to.have.property('error').that.is.a('string');
    });

    it('refuses the admin API with a wrong token (401)', async () => {
      const res = await app.inject({ url: '/api/v1/kpis', headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(res.statusCode).to.equal(401);
      expect(res.json()).to.deep.equal({ error: 'wrong admin token' });
    });

    it('refuses a token sent with another scheme (401)', async () => {
      const res = await app.inject({ url: '/api/v1/kpis', headers: { authorization: `Basic ${TOKEN}` } });
      expect(res.statusCode).to.equal(401);
    });

    it('refuses imports without a token before reading the body (401)', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/imports', headers: { 'content-type': 'text/csv' }, payload: 'debtor_id\n' });
      expect(res.statusCode).to.equal(401);
    });

    it('answers unknown admin paths 401 without a token, so they reveal nothing', async () => {
      const res = await app.inject('/api/v1/no-such-thing');
      expect(res.statusCode).to.equal(401);
    });

    it('lets the right token through to the admin routes', async () => {
      const res = await app.inject({ url: '/api/v1/kpis?asOf=2026-01-31', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).not.to.be.oneOf([401, 403, 503]);
      const unknown = await app.inject({ url: '/api/v1/no-such-thing', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(unknown.statusCode).to.equal(404);
      expect(unknown.json()).to.have.property('error');
    });

    it('answers its root URL with a JSON index of its endpoints', async () => {
      const res = await app.inject('/');
      expect(res.statusCode).to.equal(200);
      expect(res.json()).to.have.nested.property('endpoints.health', '/healthz');
    });

    it('answers unknown routes with a JSON 404', async () => {
      const res = await app.inject('/no/such/route');
      expect(res.statusCode).to.equal(404);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.json()).to.deep.equal({ error: 'not found: GET /no/such/route' });
    });

    it('answers failures 500 {"error":"internal error"} without leaking the message or stack, and logs them', async () => {
      logLines.length = 0;
      const res = await app.inject('/test/boom');
      expect(res.statusCode).to.equal(500);
      expect(res.json()).to.deep.equal({ error: 'internal error' });
      expect(res.body).not.to.include('secret');
      const logged = logLines.map((l) => JSON.parse(l) as { msg: string; err?: { message: string } });
      expect(logged.some((l) => l.msg === 'request failed' && l.err?.message === 'secret internal detail')).to.equal(true);
    });

    it('answers client errors such as malformed JSON with their status and a JSON error', async () => {
      const res = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
      expect(res.statusCode).to.equal(400);
      expect(res.json()).to.have.property('error').that.is.a('string');
    });

    it('keeps the Authorization header out of its request log lines', async () => {
      logLines.length = 0;
      await app.inject({ url: '/api/v1/kpis', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(logLines.join('')).not.to.include(TOKEN);
      expect(logLines.join('')).to.include('"route"');
    });
  });

  describe('without an admin token', () => {
    let app: FastifyInstance;
    before(async () => {
      app = await buildServer(runtime(), {});
    });
    after(() => app.close());

    it('answers the admin API 503 naming ADMIN_API_TOKEN', async () => {
      for (const [method, url] of [['GET', '/api/v1/kpis'], ['POST', '/api/v1/imports']] as const) {
        const res = await app.inject({ method, url, headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.statusCode, `${method} ${url}`).to.equal(503);
        expect(res.json()).to.deep.equal({ error: 'admin API disabled: set ADMIN_API_TOKEN' });
      }
    });

    it('still answers /healthz', async () => {
      expect((await app.inject('/healthz')).statusCode).to.equal(200);
    });
  });
});
