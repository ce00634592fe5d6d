import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { registerAlertmanagerRoutes } from '../api/alertmanager-routes.ts';
import { toApiError } from '../api/api-error.ts';
import { sendJson } from '../api/http-io.ts';
import { Router } from '../api/router.ts';
import { Notifier } from '../rules/notify/notifier.ts';
import { parseNotificationConfig } from '../rules/notify/parse-notify-config.ts';
import { runSilenceCommand } from './silence.ts';

let notifier: Notifier;
let server: Server;
let url: string;

before(async () => {
  notifier = new Notifier({
    config: parseNotificationConfig('route: { receiver: r }\nreceivers: [{ name: r }]', 'am.yml'),
  });
  const router = new Router();
  registerAlertmanagerRoutes(router, notifier);
  server = createServer((request, response) => {
    const parsed = new URL(request.url ?? '/', 'http://localhost');
    void (async () => {
      try {
        const match = router.match(request.method ?? 'GET', parsed.pathname);
        await match.route.handler({
          request,
          response,
          pathParams: match.pathParams,
          query: parsed.searchParams,
        });
      } catch (error: unknown) {
        const apiError = toApiError(error);
        sendJson(response, apiError.status, {
          error: { status: apiError.status, message: apiError.message },
        });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await notifier.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function run(args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runSilenceCommand([...args, '--url', url], (line) => out.push(line));
  return { code, out };
}

test('vigil silence add / query / expire against Vigil', async () => {
  const added = await run([
    'add',
    'alertname=InferenceLatencyHigh',
    'env!~"dev|test"',
    '--duration',
    '2h',
    '--comment',
    'rollout',
    '--author',
    'alice',
  ]);
  assert.equal(added.code, 0);
  const [id] = added.out;
  const silence = notifier.silences.get(id ?? '');
  assert.ok(silence, 'the silence exists in Vigil');
  assert.deepEqual(silence.matchers, [
    { name: 'alertname', type: '=', value: 'InferenceLatencyHigh' },
    { name: 'env', type: '!~', value: 'dev|test' },
  ]);
  assert.equal(silence.endsAtMs - silence.startsAtMs >= 2 * 3_600_000 - 5_000, true);
  assert.deepEqual([silence.createdBy, silence.comment], ['alice', 'rollout']);
  assert.equal(
    notifier.silences.mutedBy({ alertname: 'InferenceLatencyHigh', env: 'prod' }, Date.now()).length,
    1,
  );

  const queried = await run(['query', 'alertname=InferenceLatencyHigh']);
  assert.equal(queried.code, 0);
  assert.match(queried.out[0] ?? '', /^ID\s+Matchers\s+Ends At\s+Created By\s+Comment$/);
  assert.match(
    queried.out[1] ?? '',
    new RegExp(`^${id}\\s+alertname="InferenceLatencyHigh" env!~"dev\\|test"\\s+\\S+Z\\s+alice\\s+rollout$`),
  );
  assert.deepEqual((await run(['query', '-q'])).out, [id]);
  assert.deepEqual((await run(['query', 'alertname=Other', '--quiet'])).out, []);

  assert.equal((await run(['expire', id ?? ''])).code, 0);
  assert.deepEqual((await run(['query', '--quiet'])).out, []);
  assert.deepEqual((await run(['query', '--quiet', '--expired'])).out, [id]);
});

test('vigil silence: usage errors exit 2, API errors exit 1 with the reason', async (t) => {
  const errors: string[] = [];
  t.mock.method(console, 'error', (line: string) => errors.push(line));
  const cases: [string[], number, RegExp][] = [
    [['add', 'alertname=X'], 2, /--comment is required/],
    [['add', '--comment', 'c'], 2, /at least one matcher/],
    [['add', 'alertname', '--comment', 'c'], 2, /bad matcher format/],
    [['add', 'a=b', '--comment', 'c', '--duration', 'soon'], 2, /--duration must be a positive duration/],
    [['add', 'a=b', '--comment', 'c', '--end', 'tomorrow'], 2, /--end must be an RFC 3339 time/],
    [
      ['add', 'a=~".*"', '--comment', 'c'],
      1,
      /400: failed to create silence: at least one matcher must not match the empty string/,
    ],
    [['frobnicate'], 2, /unknown sub-command 'frobnicate'/],
    [[], 2, /missing sub-command/],
    [['expire', 'no-such-id'], 1, /404: silence not found/],
    [['query', '--bogus'], 2, /Unknown option '--bogus'/],
  ];
  for (const [args, code, message] of cases) {
    errors.length = 0;
    assert.equal((await run(args)).code, code, args.join(' '));
    assert.match(errors.join('\n'), message, args.join(' '));
  }
  errors.length = 0;
  assert.equal(await runSilenceCommand(['query', '--url', 'http://127.0.0.1:9']), 1);
  assert.match(errors.join('\n'), /cannot reach Vigil's API/);
});
