// `npm run safety -- < messages.jsonl`: runs the pipeline over JSON lines and prints one
// verdict line per input line. No database, no network: a fresh in-memory pipeline per run.
//
// Input line:  {"id", "text", "sender"?, "now"?, "mentions"?, "mentionsAll"?, "hasImage"?,
//               "room"?: {"id"?, "policy"?, "senderRole"?, "joinedSecondsAgo"?}}
// Output line: {"id", "action", "reasons": ["CODE", …]}
// Without "sender", each line gets its own sender (so a dataset does not rate-limit itself);
// without "room", the sender is a member who joined long ago, under the default policy.

import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createSafetyPipeline } from './pipeline.ts';
import { resolvePolicy } from './policy.ts';
import type { SafetyPipeline, SenderRole } from './types.ts';

export interface CliOutputLine {
  id: unknown;
  action: string;
  reasons: string[];
}

const ROLES: readonly SenderRole[] = ['owner', 'admin', 'member', 'bot'];

/** One input line → one output line. Malformed lines get an "error" line instead of stopping the run. */
export function evaluateLine(pipeline: SafetyPipeline, line: string, lineNumber: number, clock: () => number): CliOutputLine | { id: unknown; error: string } | null {
  if (line.trim() === '') return null;
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { id: null, error: `line ${lineNumber}: not JSON` };
  }
  const id = input.id ?? lineNumber;
  if (typeof input.text !== 'string') return { id, error: `line ${lineNumber}: "text" must be a string` };

  const room = (input.room && typeof input.room === 'object' ? input.room : {}) as Record<string, unknown>;
  const now = typeof input.now === 'number' ? input.now : clock();
  const role = ROLES.includes(room.senderRole as SenderRole) ? (room.senderRole as SenderRole) : 'member';
  const joinedSecondsAgo = typeof room.joinedSecondsAgo === 'number' ? room.joinedSecondsAgo : 365 * 24 * 3600;
  const ctx = {
    roomId: typeof room.id === 'string' ? room.id : 'cli-room',
    sender: {
      id: typeof input.sender === 'string' ? input.sender : `cli-line-${lineNumber}`,
      role,
      joinedAt: new Date(now - joinedSecondsAgo * 1000),
    },
    policy: resolvePolicy(room.policy),
    now,
  };
  const verdict = pipeline.check(
    {
      text: input.text,
      mentions: Array.isArray(input.mentions) ? input.mentions.filter((m): m is string => typeof m === 'string') : undefined,
      mentionsAll: input.mentionsAll === true,
      hasImage: input.hasImage === true,
    },
    ctx,
  );
  if (verdict.action === 'hold' || verdict.action === 'block') pipeline.recordOffence(ctx, verdict);
  return { id, action: verdict.action, reasons: verdict.reasons.map((r) => r.code) };
}

export async function runCli(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const pipeline = createSafetyPipeline();
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    const result = evaluateLine(pipeline, line, lineNumber, Date.now);
    if (result !== null) output.write(`${JSON.stringify(result)}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runCli(process.stdin, process.stdout);
}
