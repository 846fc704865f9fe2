/**
 * Where test tiers find the real binaries they run. Each reads its location
 * from the environment (or PATH for Debian packages) and is undefined when
 * missing: the tier then skips, and global-setup.ts prints one loud line.
 */
import * as fs from 'fs';
import * as path from 'path';

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** etcd beside kube-apiserver in KUBEBUILDER_ASSETS, else Debian's etcd-server on PATH. */
export function etcdBinary(): string | undefined {
  const assets = process.env.KUBEBUILDER_ASSETS;
  if (assets && executable(path.join(assets, 'etcd'))) return path.join(assets, 'etcd');
  return onPath('etcd');
}

export const KUBE_SCORE_VARIABLE = 'KUBE_SCORE';

/** kube-score as tools/kube-score/build.sh built it (.ci/run exports KUBE_SCORE). */
export function kubeScoreBinary(): string | undefined {
  const file = process.env[KUBE_SCORE_VARIABLE];
  return file && executable(file) ? file : undefined;
}
