import { describe, expect, it } from 'vitest';
import { answer, html, json, text } from '../../../../test/helpers/answer.js';
import { judgeActuator, judgeActuatorEnv, judgeExpvar, judgeMetrics, judgePprof, judgeServerStatus } from './management.js';

const link = (p: string): { href: string } => ({ href: `http://127.0.0.1:8080/actuator${p}` });

describe('Spring Boot actuator', () => {
  it('accepts the index, and rates it by what it exposes', () => {
    const small = judgeActuator(json({ _links: { self: link(''), health: link('/health'), 'health-path': link('/health/{*path}'), info: link('/info') } }, { path: '/actuator' }));
    expect(small).toEqual({ evidence: 'actuator index lists 3 endpoints: health, health-path, info', severity: 'medium' });
    const big = judgeActuator(json({ _links: { self: link(''), env: link('/env'), heapdump: link('/heapdump') } }, { path: '/actuator' }));
    expect(big?.severity).toBe('high');
  });

  it.each([
    ['a HAL API root (Spring Data REST)', json({ _links: { self: { href: 'http://h/api' }, orders: { href: 'http://h/api/orders' }, profile: { href: 'http://h/api/profile' } } }, { path: '/manage' })],
    ['a health answer', json({ status: 'UP' }, { path: '/actuator' })],
    ['the index behind a 401', json({ _links: { self: link(''), health: link('/health') } }, { status: 401, path: '/actuator' })],
  ])('rejects %s', (_name, a) => {
    expect(judgeActuator(a)).toBeUndefined();
  });

  it('accepts env documents and counts secrets without showing them', () => {
    const masked = judgeActuatorEnv(json({
      activeProfiles: ['prod'],
      propertySources: [
        { name: 'systemEnvironment', properties: { PATH: { value: '/usr/bin' }, DB_PASSWORD: { value: '******' } } },
        { name: 'application.yml', properties: { 'spring.datasource.url': { value: 'jdbc:x' } } },
      ],
    }));
    expect(masked).toEqual({ evidence: 'environment with 2 property sources (systemEnvironment, application.yml), 3 properties; 1 credential-named properties, masked by the server', severity: 'high' });
    const clear = judgeActuatorEnv(json({ profiles: [], systemEnvironment: { STRIPE_SECRET_KEY: 'sk_live_abc123' }, systemProperties: { 'java.version': '17' } }));
    expect(clear?.severity).toBe('critical');
    expect(clear?.evidence).toContain('STRIPE_SECRET_KEY');
    expect(JSON.stringify(clear)).not.toContain('sk_live_abc123');
    expect(judgeActuatorEnv(json({ contexts: { app: { beans: { dataSource: { prefix: 'spring.datasource' } } } } }))?.evidence).toBe('configuration properties of 1 beans');
  });

  it.each([
    ['an application config object', json({ env: 'prod', features: { beta: true } })],
    ['an empty property source list', json({ propertySources: [] })],
    ['a 403', json({ propertySources: [{ name: 'x', properties: {} }] }, { status: 403 })],
  ])('rejects %s as env', (_name, a) => {
    expect(judgeActuatorEnv(a)).toBeUndefined();
  });
});

describe('Go expvar and pprof', () => {
  it('accepts expvar and withholds the command line', () => {
    const j = judgeExpvar(json({ cmdline: ['/app', '--db-password=hunter2'], memstats: { Alloc: 1 }, requests: 4 }));
    expect(j?.evidence).toBe('expvar document: cmdline (2 arguments, withheld), memstats, requests');
    expect(j?.evidence).not.toContain('hunter2');
  });

  it('rejects JSON that only looks like expvar', () => {
    expect(judgeExpvar(json({ cmdline: 'x', memstats: {} }))).toBeUndefined();
    expect(judgeExpvar(json({ memstats: {} }))).toBeUndefined();
  });

  it('accepts the pprof index, not other pages', () => {
    const page = html('<html><head><title>/debug/pprof/</title></head><body>Types of profiles available:<a href="allocs?debug=1">allocs</a><a href="goroutine?debug=1">goroutine</a><a href="heap?debug=1">heap</a></body></html>');
    expect(judgePprof(page)?.evidence).toBe('pprof index (profiles: allocs, goroutine, heap)');
    expect(judgePprof(html('<title>Profile</title><p>Your profile page</p>'))).toBeUndefined();
  });
});

describe('server status pages', () => {
  it.each([
    ['Apache mod_status', html('<html><head><title>Apache Status</title></head><h1>Apache Server Status for example.com</h1>3 requests currently being processed'), 'Apache server-status page (3 requests being processed, with their clients and URLs)'],
    ['nginx stub_status', text('Active connections: 2 \nserver accepts handled requests\n 10 10 20 \nReading: 0 Writing: 1 Waiting: 1 \n'), 'nginx stub_status (2 active connections)'],
  ])('accepts %s', (_name, a, evidence) => {
    expect(judgeServerStatus(a)?.evidence).toBe(evidence);
  });

  it('rejects an application status page', () => {
    expect(judgeServerStatus(json({ status: 'ok', connections: 3 }))).toBeUndefined();
    expect(judgeServerStatus(html('<title>Status</title><p>All systems operational</p>'))).toBeUndefined();
  });
});

describe('Prometheus metrics', () => {
  const exposition = '# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{code="200"} 1027\n# HELP process_cpu_seconds_total CPU.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 4.2\n';

  it('accepts the exposition format and names families only', () => {
    expect(judgeMetrics(text(exposition))?.evidence).toBe('Prometheus metrics: 2 families (http_requests_total, process_cpu_seconds_total)');
  });

  it.each([
    ['an HTML page quoting the format', html(`<pre>${exposition}</pre>`)],
    ['TYPE lines without samples', text('# HELP a x\n# TYPE a counter\n')],
    ['JSON metrics', json({ requests: 1 })],
    ['plain text', answer({ body: 'metrics are disabled' })],
  ])('rejects %s', (_name, a) => {
    expect(judgeMetrics(a)).toBeUndefined();
  });
});
