/** The result of the verdict rules: what the phase and the kstatus conditions say. */
import { Phase } from '../../shared/status';
import { ReadyReason } from './ready-reasons';

export interface Verdict {
  readonly phase: Phase;
  /** The Ready condition's reason; Ready exactly when the instance is. */
  readonly reason: ReadyReason;
  /** The Ready condition's message, and health's unless health finds something more specific. */
  readonly message: string;
  /** Terminal until a person acts: Stalled=True, which kstatus reads as Failed. */
  readonly stalled: boolean;
}
