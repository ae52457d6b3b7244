import { describe, expect, it } from 'vitest';
import { answer, html, json, text } from '../../../../test/helpers/answer.js';
import { judgeAdmin, judgeConsole, judgeDebugEndpoint } from './debug.js';

describe('debug endpoints', () => {
  it('accepts a config dump with secrets, naming the members but never the values', () => {
    const j = judgeDebugEndpoint(json({ service: 'shop-api', version: '0.9.1-dev', jwtAlgorithm: 'HS256', jwtSecret: 'the-signing-key', database: { password: 'db-pass' } }));
    expect(j).toEqual({
      evidence: 'JSON with credential-named members jwtSecret, database.password (values withheld); also service, version, jwtAlgorithm, database',
      severity: 'high', title: 'Debug endpoint leaks secrets',
    });
    expect(JSON.stringify(j)).not.toMatch(/the-signing-key|db-pass/);
  });

  it('accepts runtime configuration without secrets at the default severity', () => {
    expect(judgeDebugEndpoint(json({ node: 'v20.1.0', mode: 'debug', uptime: 1234, featureFlags: { a: true } }))).toEqual({ evidence: 'JSON with 5 members about the runtime: node, mode, uptime, featureFlags' });
    expect(judgeDebugEndpoint(text('DEBUG=true\nREDIS_HOST=cache\n'))?.title).toBe('Debug endpoint exposes environment variables');
  });

  it.each([
    ['an ordinary resource', json({ id: 4, name: 'Castle mug', price: 12 })],
    ['a not-found error object', json({ error: 'not found', status: 404, path: '/debug' })],
    ['credential members already masked', json({ apiKey: '****', token: '', version: '1' })],
    ['an HTML page', html('<title>Debug</title><p>debug mode: on, version 1, env prod</p>')],
    ['a config dump behind a 401', json({ jwtSecret: 'x', node: 'v20', mode: 'debug', env: 'prod' }, { status: 401 })],
  ])('rejects %s', (_name, a) => {
    expect(judgeDebugEndpoint(a)).toBeUndefined();
  });
});

describe('consoles', () => {
  it.each([
    ['Werkzeug', html('<title>Console // Werkzeug Debugger</title><script src="?__debugger__=yes&cmd=resource&f=debugger.js"></script>'), 'Werkzeug interactive debugger page', 'critical'],
    ['H2', html('<html><head><title>H2 Console</title></head></html>'), 'H2 database console page', undefined],
    ['Jolokia', json({ request: { type: 'version' }, value: { agent: '1.7.2', protocol: '7.2' }, status: 200 }), 'Jolokia agent 1.7.2 (JMX over HTTP)', undefined],
  ])('accepts %s', (_name, a, evidence, severity) => {
    const j = judgeConsole(a);
    expect(j?.evidence).toBe(evidence);
    expect(j?.severity).toBe(severity);
  });

  it.each([
    ['a browser game called Console', html('<title>Console Wars</title>')],
    ['JSON that is not Jolokia', json({ value: { agent: 'x' } })],
    ['Werkzeug behind a 403', html('__debugger__', { status: 403 })],
  ])('rejects %s', (_name, a) => {
    expect(judgeConsole(a)).toBeUndefined();
  });
});

describe('admin interfaces', () => {
  it.each([
    ['phpMyAdmin', html('<html><head><title>phpMyAdmin</title></head></html>'), 'phpMyAdmin page', 'medium'],
    ['Django admin', html('<title>Log in | Django site admin</title><input type="password" name="password">'), 'Django admin page', undefined],
    ['a generic admin login', html('<title>Shop Admin</title><form><input name=u><input type=password name=p></form>'), 'login page titled "Shop Admin"', undefined],
    ['Tomcat manager', answer({ status: 401, headers: { 'www-authenticate': 'Basic realm="Tomcat Manager Application"' } }), 'Tomcat manager asks for a password (HTTP Basic)', 'medium'],
  ])('accepts %s', (_name, a, evidence, severity) => {
    const j = judgeAdmin(a);
    expect(j?.evidence).toBe(evidence);
    expect(j?.severity).toBe(severity);
  });

  it.each([
    ['an admin page without a login form', html('<title>Admin</title><p>Contact the admin team.</p>')],
    ['a login page not about admin', html('<title>Sign in</title><input type="password">')],
    ['a plain 401', answer({ status: 401, headers: { 'www-authenticate': 'Bearer' } })],
  ])('rejects %s', (_name, a) => {
    expect(judgeAdmin(a)).toBeUndefined();
  });
});
