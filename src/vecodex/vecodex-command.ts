/**
 * How a component's `command` and the generated args combine. Kubernetes
 * appends `args` to `command`; the binary (p-ranav/argparse) declares only
 * `--flag value` options and exits 1 on any positional argument, and a later
 * duplicate of a generated flag would fight the config.
 */
import { VECODEX_DEFAULTS as D, VECODEX_COMPONENTS, VecodexMode } from './vecodex-set-defaults';

type GeneratedFlag = '--config-path' | '--hostname';

/** Flags the chart appends to a component's command as args; the command must not set them itself. */
export function generatedFlags(mode: VecodexMode): readonly GeneratedFlag[] {
  // A searcher registers "<hostname>:<port>" in etcd and the coordinator and
  // writer dial exactly that, so it must be the routable pod IP.
  return mode === 'searcher' ? ['--config-path', '--hostname'] : ['--config-path'];
}

/** The args of a component's container: each generated flag with its value. */
export function generatedArgs(mode: VecodexMode, configPath: string): string[] {
  const values: Record<GeneratedFlag, string> = { '--config-path': configPath, '--hostname': '$(POD_IP)' };
  return generatedFlags(mode).flatMap((flag) => [flag, values[flag]]);
}

/** Options of the binary that take a value (BootstrapConfig.h). */
const VALUE_FLAGS = new Set(['--config-path', '--mode', '--hostname', '--listening-port', '--output-port', '--s3-host', '--etcd-address', '--indexes']);

/** Whether a command runs the vecodex binary directly (and so can be checked); a shell wrapper cannot be. */
export function runsVecodexBinary(command: readonly string[]): boolean {
  return command.length > 0 && /(^|\/)vecodex-app$/.test(command[0]);
}

export interface PositionalMode {
  /** Index in the command array. */
  readonly index: number;
  readonly mode: VecodexMode;
}

/** Bare mode words (`vecodex-app coordinator`): upstream's sample and image CMD pass them; the binary rejects them. */
export function positionalModes(command: readonly string[]): PositionalMode[] {
  if (!runsVecodexBinary(command)) return [];
  const out: PositionalMode[] = [];
  for (let i = 1; i < command.length; i++) {
    const arg = command[i];
    if (VALUE_FLAGS.has(arg)) { i++; continue; }
    if ((VECODEX_COMPONENTS as readonly string[]).includes(arg)) out.push({ index: i, mode: arg as VecodexMode });
  }
  return out;
}

/**
 * The command the container runs. No command: the binary itself (the image
 * CMD passes a positional mode). A bare mode equal to the component's own is
 * rewritten to the equivalent `--mode <mode>`, so upstream's sample runs as
 * its author meant; the rules warn about it, and reject a mode that differs.
 */
export function effectiveCommand(mode: VecodexMode, command: readonly string[] | undefined): string[] {
  if (command === undefined || command.length === 0) return [...D.command];
  const positional = new Set(positionalModes(command).filter((p) => p.mode === mode).map((p) => p.index));
  return command.flatMap((arg, i) => (positional.has(i) ? ['--mode', arg] : [arg]));
}
