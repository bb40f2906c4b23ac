/** What every workload gets from the orchestrator for one mode. */
import type { Profile } from '../profile.ts';
import type { Launch, Mode, Side } from '../servers.ts';

export interface WorkloadContext {
  mode: Mode;
  /** The relay first, then Quanzi when it runs. */
  sides: Side[];
  profile: Profile;
  launch: Launch;
  /** Globally unique step ids, so a late message never counts in a later step. */
  nextStepId: () => number;
  log: (line: string) => void;
}
