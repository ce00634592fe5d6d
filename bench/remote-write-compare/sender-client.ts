/**
 * The orchestrator's handle on the sender child process (sender-process.ts): one command at a time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { LoadShape } from './requests.ts';
import type { SenderCommand, SenderReply } from './sender-process.ts';
import type { SendResult } from './send-loop.ts';

/** A running sender. */
export interface Sender {
  /** Encodes the load; resolves with the request count, total body bytes and encoding time. */
  encode(
    shape: LoadShape,
    startMs: number,
  ): Promise<{ requests: number; bodyBytes: number; encodeMs: number }>;
  /** Replays the encoded load against `writeUrl`. */
  send(writeUrl: string): Promise<SendResult>;
  close(): Promise<void>;
}

/** Forks the sender (through tsx, as the rest of the benchmark runs). */
export function startSender(): Sender {
  const child = fork(new URL('./sender-process.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    encode: async (shape, startMs) => {
      const reply = await ask(child, { type: 'encode', shape, startMs });
      if (reply.type !== 'encoded') throw new Error(`sender: unexpected reply ${reply.type}`);
      return reply;
    },
    send: async (writeUrl) => {
      const reply = await ask(child, { type: 'send', writeUrl });
      if (reply.type !== 'sent') throw new Error(`sender: unexpected reply ${reply.type}`);
      return reply.result;
    },
    close: async () => {
      if (child.connected) child.send({ type: 'exit' } satisfies SenderCommand);
      await exited;
    },
  };
}

function ask(child: ChildProcess, command: SenderCommand): Promise<SenderReply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`sender exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (reply: SenderReply) => {
      child.off('exit', onExit);
      if (reply.type === 'error') reject(new Error(`sender: ${reply.message}`));
      else resolve(reply);
    });
    child.send(command);
  });
}
