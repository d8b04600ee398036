import { serveBatchWorker } from '../core/profiles/batch';
import { main } from './main';

// The bin entry: wires the CLI to the real process. Started again as a worker thread by `build`, the same
// file serves the batch pool instead (it is bundled as CommonJS, so __filename names it).
if (!serveBatchWorker()) {
  void main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    ...(typeof __filename === 'string' ? { workerScript: __filename } : {}),
  }).then((code) => {
    process.exitCode = code;
  });
}
