/**
 * The sender, a child process of the benchmark so that its CPU and memory never mix with a
 * server's or the orchestrator's. It encodes the whole load once ('encode'), then replays the very
 * same bodies against each system's write URL ('send'). Started by sender-client.ts over IPC.
 */
import { encodeShard, type EncodedRequest, type LoadShape } from './requests.ts';
import { sendLoad, type SendResult } from './send-loop.ts';

/** Messages the orchestrator sends. */
export type SenderCommand =
  | { type: 'encode'; shape: LoadShape; startMs: number }
  | { type: 'send'; writeUrl: string }
  | { type: 'exit' };

/** Messages the sender answers with. */
export type SenderReply =
  | { type: 'encoded'; requests: number; bodyBytes: number; encodeMs: number }
  | { type: 'sent'; result: SendResult }
  | { type: 'error'; message: string };

let shards: EncodedRequest[][] = [];

async function handle(command: SenderCommand): Promise<SenderReply | undefined> {
  switch (command.type) {
    case 'encode': {
      const startedMs = performance.now();
      shards = Array.from({ length: command.shape.concurrency }, (_, shard) =>
        encodeShard(command.shape, shard, command.startMs),
      );
      const all = shards.flat();
      const bodyBytes = all.reduce((sum, encoded) => sum + encoded.body.length, 0);
      return { type: 'encoded', requests: all.length, bodyBytes, encodeMs: performance.now() - startedMs };
    }
    case 'send':
      return { type: 'sent', result: await sendLoad(command.writeUrl, shards) };
    case 'exit':
      process.disconnect?.();
      return undefined;
  }
}

process.on('message', (command: SenderCommand) => {
  handle(command).then(
    (reply) => reply && process.send?.(reply),
    (error: unknown) => process.send?.({ type: 'error', message: (error as Error).stack ?? String(error) }),
  );
});
