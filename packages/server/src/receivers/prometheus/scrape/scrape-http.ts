/**
 * One HTTP scrape, as Prometheus's scrape/scrape.go targetScraper: GET with the exposition Accept
 * header, `Accept-Encoding: gzip`, `X-Prometheus-Scrape-Timeout-Seconds`, aborted at the scrape
 * timeout, the (decompressed) body capped at body_size_limit. Errors name neither credentials
 * nor body content.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip } from 'node:zlib';
import type { ScrapeAuth } from './scrape-config.ts';

export interface ScrapeRequest {
  url: URL;
  timeoutMs: number;
  acceptHeader: string;
  auth?: ScrapeAuth;
  /** 0 means no limit. */
  bodySizeLimitBytes: number;
}

export interface ScrapeResponse {
  body: string;
  contentType: string;
}

const USER_AGENT = 'Vigil/0.1 (Prometheus scrape)';

/** Fetches one exposition. Rejects with a message safe to log. */
export async function fetchExposition(scrape: ScrapeRequest): Promise<ScrapeResponse> {
  const headers: Record<string, string> = {
    accept: scrape.acceptHeader,
    'accept-encoding': 'gzip',
    'user-agent': USER_AGENT,
    'x-prometheus-scrape-timeout-seconds': String(scrape.timeoutMs / 1000),
  };
  const authorization = await authorizationHeader(scrape.auth);
  if (authorization) headers.authorization = authorization;
  const signal = AbortSignal.timeout(scrape.timeoutMs);
  const request = scrape.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<ScrapeResponse>((resolve, reject) => {
    const fail = (message: string): void => reject(new Error(message));
    const req = request(scrape.url, { method: 'GET', headers, signal }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        fail(`server returned HTTP status ${response.statusCode ?? 0} ${response.statusMessage ?? ''}`.trimEnd());
        return;
      }
      readBody(response, scrape.bodySizeLimitBytes).then(
        (body) => resolve({ body, contentType: String(response.headers['content-type'] ?? '') }),
        (error: unknown) => fail(signal.aborted ? timeoutMessage(scrape.timeoutMs) : (error as Error).message),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      fail(signal.aborted ? timeoutMessage(scrape.timeoutMs) : `connection failed: ${error.code ?? 'error'}`);
    });
    req.end();
  });
}

function timeoutMessage(timeoutMs: number): string {
  return `context deadline exceeded (scrape timeout ${timeoutMs / 1000}s)`;
}

async function readBody(response: IncomingMessage, limitBytes: number): Promise<string> {
  const gzipped = String(response.headers['content-encoding'] ?? '').toLowerCase() === 'gzip';
  const stream = gzipped ? response.pipe(createGunzip()) : response;
  if (gzipped) response.on('error', (error) => stream.destroy(error));
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      sizeBytes += chunk.length;
      if (limitBytes > 0 && sizeBytes > limitBytes) {
        response.destroy();
        throw new Error(`body size limit exceeded (limit ${limitBytes} bytes)`);
      }
      chunks.push(chunk);
    }
  } catch (error: unknown) {
    if ((error as Error).message.startsWith('body size limit')) throw error;
    throw new Error(gzipped ? 'reading gzip body failed' : 'reading body failed');
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function authorizationHeader(auth: ScrapeAuth | undefined): Promise<string | undefined> {
  if (!auth) return undefined;
  if (auth.type === 'basic') {
    const password = auth.passwordFile !== undefined ? await secretFile(auth.passwordFile) : (auth.password ?? '');
    return `Basic ${Buffer.from(`${auth.username}:${password}`).toString('base64')}`;
  }
  const token = auth.credentialsFile !== undefined ? await secretFile(auth.credentialsFile) : (auth.credentials ?? '');
  return `Bearer ${token}`;
}

/** Secrets files are re-read every scrape (rotation), trimmed as Prometheus's common/config does. */
async function secretFile(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error: unknown) {
    throw new Error(`cannot read credentials file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
