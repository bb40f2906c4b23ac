/** The shape of bench/results/<timestamp>.json: everything the report is rendered from. */
import type { MemorySample } from './cpu.ts';
import type { CorePauses } from './machine-pauses.ts';
import type { Profile, WorkloadId } from './profile.ts';
import type { Mode, Pinning } from './servers.ts';
import type { SteppedResult } from './workloads/stepped.ts';
import type { W2Result } from './workloads/w2.ts';
import type { W4Result } from './workloads/w4.ts';
import type { W5Result } from './workloads/w5.ts';
import type { W6Result } from './workloads/w6.ts';
import type { W7Result } from './workloads/w7.ts';
import type { W8Result } from './workloads/w8.ts';
import type { W9Result } from './workloads/w9.ts';
import type { W10Result } from './workloads/w10.ts';
import type { W11Result } from './workloads/w11.ts';
import type { W12Result } from './workloads/w12.ts';

export interface ModeResult {
  mode: Mode;
  sides: { kind: string; label: string }[];
  W1?: SteppedResult;
  W2?: W2Result;
  W3?: SteppedResult;
  W4?: W4Result;
  W5?: W5Result;
  W6?: W6Result;
  W8?: W8Result;
  W9?: W9Result;
  W10?: W10Result;
  W11?: W11Result;
  W12?: W12Result;
  /** Each side's memory a few seconds after its servers were ready, before any client (absent in older runs). */
  idleMemory?: Record<string, MemorySample>;
  /** How long each side took from spawning its servers to answering /readyz (absent in older runs). */
  startSeconds?: Record<string, number>;
  /** Workloads that threw, with the message; the run goes on with the next one. */
  errors: Partial<Record<WorkloadId, string>>;
  /** What provisioning had to work around (missing routes, raised limits). */
  notes: string[];
  /** Set when the mode's servers did not start; nothing else was measured in it. */
  startError?: string;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  loadAverageAtStart: number[];
  commit: string | null;
  /** How often each core was taken away from a busy loop just before the run (absent in older runs). */
  pauses?: CorePauses[];
}

export interface RunResult {
  runId: string;
  startedAt: string;
  finishedAt: string | null;
  durationSeconds: number;
  command: string;
  profile: Profile;
  workloads: WorkloadId[];
  machine: Machine;
  pinning: Pinning | null;
  quanzi: 'ran' | 'missing' | 'skipped';
  modes: ModeResult[];
  W7?: W7Result;
  aborted?: string;
}
