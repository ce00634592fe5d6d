/**
 * `vigil silence add|query|expire`: manages silences of a running Vigil over its Alertmanager v2
 * API, like amtool's `silence` commands.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { parseDurationMillis } from '../config/duration.ts';
import { MatcherError, matcherString, parseMatchers } from '../rules/notify/matchers.ts';
import { CliError, type Command } from './command.ts';

const USAGE = `Usage: vigil silence add MATCHER... [--duration 1h | --end TIME] [--start TIME] --comment TEXT [--author NAME]
       vigil silence query [MATCHER...] [--expired] [--quiet]
       vigil silence expire ID...

Silences mute the notifications of alerts their matchers match, as Alertmanager's silences do.
Matchers are written as in Alertmanager: alertname=HighLatency, severity=~"page|critical", env!=dev.

Flags:
  --url URL        Vigil's API (default http://127.0.0.1:16700)
  --duration D     how long the silence lasts from its start (default 1h; e.g. 30m, 2h, 1d)
  --start TIME     RFC 3339 start (default now)
  --end TIME       RFC 3339 end (instead of --duration)
  --comment TEXT   why (required for add)
  --author NAME    who (default the current user)
  --expired        query: show expired silences instead of active and pending ones
  -q, --quiet      query: print only silence IDs
  -h, --help       show this help`;

const OPTIONS = {
  url: { type: 'string' },
  duration: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  comment: { type: 'string' },
  author: { type: 'string' },
  expired: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

type Print = (line: string) => void;

/** The `vigil silence` command: the sub-command and matchers are positional arguments. */
export const silenceCommand: Command = {
  usage: USAGE,
  options: OPTIONS,
  allowPositionals: true,
  run: (values: Record<string, unknown>, positionals: string[]) =>
    runSilence(values, positionals, (line) => console.log(line)),
};

/**
 * Parses argv (after `silence`) and runs it; the whole command for tests and for a main that
 * passes raw arguments. Returns the exit code; a CliError prints one line to stderr.
 *
 * @example
 * await runSilenceCommand(['add', 'alertname=X', '--duration', '2h', '--comment', 'deploy']);
 */
export async function runSilenceCommand(
  argv: string[],
  print: Print = (line) => console.log(line),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...OPTIONS, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error: unknown) {
    console.error(`vigil silence: ${(error as Error).message.split('\n')[0] ?? 'bad arguments'}`);
    return 2;
  }
  if (parsed.values.help === true) {
    print(USAGE);
    return 0;
  }
  try {
    return await runSilence(parsed.values, parsed.positionals, print);
  } catch (error: unknown) {
    if (!(error instanceof CliError)) throw error;
    console.error(`vigil silence: ${error.message}`);
    return error.exitCode;
  }
}

async function runSilence(
  values: Record<string, unknown>,
  positionals: string[],
  print: Print,
): Promise<number> {
  const [sub, ...args] = positionals;
  const api = new SilenceApi(typeof values['url'] === 'string' ? values['url'] : 'http://127.0.0.1:16700');
  switch (sub) {
    case 'add':
      print(await api.add(silenceFromFlags(args, values)));
      return 0;
    case 'query':
      for (const line of formatSilences(
        await api.query(args),
        values['expired'] === true,
        values['quiet'] === true,
      ))
        print(line);
      return 0;
    case 'expire':
      if (args.length === 0) throw new CliError('expire needs at least one silence ID', 2);
      for (const id of args) await api.expire(id);
      return 0;
    default:
      throw new CliError(
        sub === undefined ? 'missing sub-command (add, query or expire)' : `unknown sub-command '${sub}'`,
        2,
      );
  }
}

interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

interface PostableSilence {
  matchers: ApiMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

function silenceFromFlags(args: string[], values: Record<string, unknown>): PostableSilence {
  if (args.length === 0) throw new CliError('add needs at least one matcher, e.g. alertname=HighLatency', 2);
  const comment = values['comment'];
  if (typeof comment !== 'string' || comment.trim() === '') throw new CliError('--comment is required', 2);
  const startMs = typeof values['start'] === 'string' ? parseTime(values['start'], '--start') : Date.now();
  let endMs: number;
  if (typeof values['end'] === 'string') {
    if (values['duration'] !== undefined) throw new CliError('give --end or --duration, not both', 2);
    endMs = parseTime(values['end'], '--end');
  } else {
    endMs = startMs + parseDuration(typeof values['duration'] === 'string' ? values['duration'] : '1h');
  }
  return {
    matchers: parseCliMatchers(args).map((m) => ({
      name: m.name,
      value: m.value,
      isRegex: m.type === '=~' || m.type === '!~',
      isEqual: m.type === '=' || m.type === '=~',
    })),
    startsAt: new Date(startMs).toISOString(),
    endsAt: new Date(endMs).toISOString(),
    createdBy: typeof values['author'] === 'string' ? values['author'] : userInfo().username,
    comment,
  };
}

function parseCliMatchers(args: string[]): ReturnType<typeof parseMatchers> {
  try {
    return args.flatMap((arg) => parseMatchers(arg));
  } catch (error: unknown) {
    if (error instanceof MatcherError) throw new CliError(error.message, 2);
    throw error;
  }
}

function parseTime(text: string, flag: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms))
    throw new CliError(`${flag} must be an RFC 3339 time, e.g. 2024-05-01T12:00:00Z`, 2);
  return ms;
}

function parseDuration(text: string): number {
  try {
    const ms = parseDurationMillis(text);
    if (ms > 0) return ms;
  } catch {
    // Reported below with the flag's name.
  }
  throw new CliError('--duration must be a positive duration such as 30m, 2h or 1d', 2);
}

interface GettableSilence extends PostableSilence {
  id: string;
  status: { state: string };
}

/** amtool's table: ID, matchers, end, author, comment. */
export function formatSilences(
  silences: readonly GettableSilence[],
  expired: boolean,
  quiet: boolean,
): string[] {
  const shown = silences.filter((s) => (s.status.state === 'expired') === expired);
  if (quiet) return shown.map((s) => s.id);
  const rows = shown.map((s) => [
    s.id,
    s.matchers
      .map((m) =>
        matcherString({
          name: m.name,
          value: m.value,
          type: m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=',
        }),
      )
      .join(' '),
    s.endsAt,
    s.createdBy,
    s.comment,
  ]);
  const table = [['ID', 'Matchers', 'Ends At', 'Created By', 'Comment'], ...rows];
  const widths =
    table[0]?.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length))) ?? [];
  return table.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

class SilenceApi {
  constructor(private readonly base: string) {}

  async add(silence: PostableSilence): Promise<string> {
    const body = (await this.request('POST', '/api/v2/silences', silence)) as { silenceID?: unknown };
    if (typeof body.silenceID !== 'string') throw new CliError('the API answered without a silence ID');
    return body.silenceID;
  }

  async query(matcherArgs: string[]): Promise<GettableSilence[]> {
    const params = new URLSearchParams();
    for (const m of parseCliMatchers(matcherArgs)) params.append('filter', matcherString(m));
    const body = await this.request(
      'GET',
      `/api/v2/silences${params.size > 0 ? `?${params.toString()}` : ''}`,
    );
    if (!Array.isArray(body))
      throw new CliError('the API answered with something other than a list of silences');
    return body as GettableSilence[];
  }

  async expire(id: string): Promise<void> {
    await this.request('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
  }

  private async request(method: string, path: string, json?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.base.replace(/\/+$/, '')}${path}`, {
        method,
        ...(json === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
      });
    } catch {
      throw new CliError(`cannot reach Vigil's API at ${this.base}`);
    }
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: reported by status below.
    }
    if (!response.ok) {
      const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
      throw new CliError(
        `the API answered ${response.status}: ${typeof message === 'string' ? message : 'error'}`,
      );
    }
    return body;
  }
}
