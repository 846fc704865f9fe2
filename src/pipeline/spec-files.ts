/**
 * Finding and reading the spec files under the instances directory, where
 * every failure is a problem naming its path, never a thrown Node error, and
 * nothing is silently skipped that looks like a spec:
 *
 * - spec files end in `.yaml` or `.yml` (lower case); a file named like a spec
 *   otherwise (`*.json`, `*.YAML`, `*.Yml`...) is an error, so a spec is never
 *   left out unnoticed; other files (README.md...) are ignored;
 * - a symlink to a regular file inside the instances directory is read as
 *   that file; a symlink to a folder, to a path outside the instances
 *   directory, a dangling symlink or a symlink loop is an error;
 * - anything that is not a regular file (a FIFO, a socket, a device) is an
 *   error when named like a spec, and is never opened (its type comes from
 *   the directory listing, or from stat() through a symlink);
 * - a file or folder that cannot be read is an error;
 * - a file over INPUT_LIMITS.fileBytes is an error, found from its size
 *   before it is read.
 *
 * The policy is documented in README.md (Synthesis, errors and dist/).
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatBytes, INPUT_LIMITS } from './input-limits';
import { SpecProblem } from './spec-error';

/** A spec file: `file` as reported (under the instances directory as given), `real` as read. */
export interface SpecFile {
  readonly file: string;
  readonly real: string;
}

const SPEC_FILE = /\.ya?ml$/;
const SPEC_LIKE = /\.(ya?ml|json)$/i;

/** Named like a spec but not read as one: reported, never skipped silently. */
function misnamedSpec(name: string): string | undefined {
  if (SPEC_FILE.test(name) || !SPEC_LIKE.test(name)) return undefined;
  const renamed = name.replace(SPEC_LIKE, (ext) => (/json/i.test(ext) ? '.yaml' : ext.toLowerCase()));
  const why = /\.json$/i.test(name) ? 'JSON is YAML, so renaming is enough' : 'the extension is matched in lower case';
  return `is not read: spec files end in .yaml or .yml; rename it to ${renamed} (${why}), or move it out of the instances directory`;
}

/** What `entry` (a symlink or not) is, with a problem when it cannot be used; never opens it. */
type Resolved =
  | { readonly type: 'file'; readonly real: string; readonly size: number }
  | { readonly type: 'directory'; readonly real: string }
  | { readonly type: 'other'; readonly what: string }
  | { readonly type: 'problem'; readonly message: string };

export class SpecTree {
  private readonly realRoot: string;

  constructor(readonly root: string) {
    this.realRoot = fs.realpathSync(root);
  }

  /**
   * The cluster folders of the instances directory, sorted, and problems for
   * what else it holds that looks like a spec or a cluster.
   */
  clusterFolders(problems: SpecProblem[]): Array<{ name: string; dir: string }> {
    const entries = this.list(this.root, problems);
    const clusters: Array<{ name: string; dir: string }> = [];
    for (const entry of entries) {
      const full = path.join(this.root, entry.name);
      if (entry.isDirectory()) {
        clusters.push({ name: entry.name, dir: full });
      } else if (entry.isSymbolicLink()) {
        const target = this.resolve(full);
        if (target.type === 'problem') problems.push({ file: full, message: target.message });
        else if (target.type === 'directory') problems.push({ file: full, message: symlinkedFolderMessage() });
        else if (SPEC_LIKE.test(entry.name)) problems.push({ file: full, message: this.strayMessage() });
      } else if (SPEC_LIKE.test(entry.name)) {
        // Skipping it would render nothing for it, silently.
        problems.push({ file: full, message: entry.isFile() ? this.strayMessage() : notRegularMessage(direntType(entry)) });
      }
    }
    return clusters;
  }

  /** Every spec file below `dir`, depth first in name order (a fixed order). */
  specFiles(dir: string, problems: SpecProblem[]): SpecFile[] {
    const out: SpecFile[] = [];
    for (const entry of this.list(dir, problems)) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        out.push(...this.specFiles(full, problems));
        continue;
      }
      const misnamed = misnamedSpec(entry.name);
      if (entry.isSymbolicLink()) {
        const target = this.resolve(full);
        if (target.type === 'problem') problems.push({ file: full, message: target.message });
        else if (target.type === 'directory') problems.push({ file: full, message: symlinkedFolderMessage() });
        else if (!SPEC_LIKE.test(entry.name)) continue;
        else if (misnamed) problems.push({ file: full, message: misnamed });
        else if (target.type === 'other') problems.push({ file: full, message: notRegularMessage(target.what) });
        else if (!this.inside(target.real)) {
          problems.push({ file: full, message: `is a symlink to ${target.real}, outside the instances directory ${this.realRoot}: only links to files inside it are followed (what is rendered must be in the repository); copy the file instead` });
        } else out.push({ file: full, real: target.real });
      } else if (!SPEC_LIKE.test(entry.name)) {
        continue;
      } else if (misnamed) {
        problems.push({ file: full, message: misnamed });
      } else if (!entry.isFile()) {
        problems.push({ file: full, message: notRegularMessage(direntType(entry)) });
      } else {
        out.push({ file: full, real: full });
      }
    }
    return out;
  }

  /** Whether there is anything at `file`, a dangling symlink included (which specFile() then reports). */
  exists(file: string): boolean {
    try {
      fs.lstatSync(file);
      return true;
    } catch {
      return false;
    }
  }

  /** The named file as a SpecFile, or a problem (used for cluster.yaml, found by name). */
  specFile(file: string): SpecFile | SpecProblem {
    const target = this.resolve(file);
    if (target.type === 'problem') return { file, message: target.message };
    if (target.type === 'directory') return { file, message: 'is a folder: expected a file' };
    if (target.type === 'other') return { file, message: notRegularMessage(target.what) };
    if (!this.inside(target.real)) return { file, message: `is a symlink to ${target.real}, outside the instances directory ${this.realRoot}: copy the file instead` };
    return { file, real: target.real };
  }

  /** The text of a spec file, or a problem: its size is checked before it is read. */
  read(spec: SpecFile): string | SpecProblem {
    let fd: number | undefined;
    try {
      // O_NONBLOCK: should the file have been swapped for a FIFO since it was listed, open() still returns at once.
      fd = fs.openSync(spec.real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) return { file: spec.file, message: notRegularMessage(statType(stat)) };
      if (stat.size > INPUT_LIMITS.fileBytes) return { file: spec.file, message: tooLargeMessage(stat.size) };
      // One byte more than allowed, so a file that grew since fstat() is still caught.
      const buffer = Buffer.alloc(Math.min(stat.size, INPUT_LIMITS.fileBytes) + 1);
      let length = 0;
      for (let n; length < buffer.length && (n = fs.readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n;
      if (length > INPUT_LIMITS.fileBytes) return { file: spec.file, message: tooLargeMessage(length) };
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
      } catch {
        return { file: spec.file, message: 'is not UTF-8 text: spec files are YAML in UTF-8' };
      }
    } catch (err) {
      return { file: spec.file, message: ioMessage(err) };
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  private list(dir: string, problems: SpecProblem[]): fs.Dirent[] {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (err) {
      problems.push({ file: dir, message: ioMessage(err) });
      return [];
    }
  }

  /** Follows a symlink with stat() (which opens nothing) and realpath(). */
  private resolve(file: string): Resolved {
    try {
      const stat = fs.statSync(file);
      const real = fs.realpathSync(file);
      if (stat.isDirectory()) return { type: 'directory', real };
      if (stat.isFile()) return { type: 'file', real, size: stat.size };
      return { type: 'other', what: statType(stat) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        let target = '';
        try { target = ` ${fs.readlinkSync(file)}`; } catch { /* not a link after all */ }
        return { type: 'problem', message: `is a dangling symlink: its target${target} does not exist` };
      }
      if (code === 'ELOOP') return { type: 'problem', message: 'is a symlink loop: following it never reaches a file' };
      return { type: 'problem', message: ioMessage(err) };
    }
  }

  private inside(real: string): boolean {
    const relative = path.relative(this.realRoot, real);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  private strayMessage(): string {
    return `is directly in ${this.root}/, outside any cluster folder: move it to ${this.root}/<cluster>/ (every folder of ${this.root}/ is one cluster)`;
  }
}

function symlinkedFolderMessage(): string {
  return 'is a symlink to a folder: symlinked folders are not followed (a link can make a loop, or render one folder twice); make it a real folder, or link the files one by one';
}

function notRegularMessage(what: string): string {
  return `is ${what}, not a regular file: it is not read (spec files must be regular files)`;
}

function tooLargeMessage(bytes: number): string {
  return `is too large: ${formatBytes(bytes)}, more than the ${formatBytes(INPUT_LIMITS.fileBytes)} a spec file may have; split it into several files`;
}

function ioMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return `cannot be read: permission denied (${e.code}); make it readable by the user running synth`;
    case 'ENOENT':
      return 'disappeared while synth was reading the instances directory';
    case 'ELOOP':
      return 'is a symlink loop: following it never reaches a file';
    case 'EISDIR':
      return 'is a folder: expected a file';
    default:
      return `cannot be read: ${e.code ?? (e instanceof Error ? e.message : String(e))}`;
  }
}

function direntType(entry: fs.Dirent): string {
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice()) return 'a block device';
  if (entry.isCharacterDevice()) return 'a character device';
  return 'not a regular file';
}

function statType(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}
