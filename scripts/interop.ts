// npm run interop: the real MCP Inspector against each lab's reference server (or WORKBOOK_TARGET's), see
// shared/workbook/maintainer/interop.ts. First installs the Inspector into interop/ when needed; then runs
// in a process that trusts the local CA from its start (Node reads NODE_EXTRA_CA_CERTS only then), as
// the person's browser and the checks of lab 04's HTTPS server need.
import { spawnSync } from 'node:child_process';
import { ensureDevCertificates } from '#shared/dev-certificates.ts';
import { runInterop } from '#shared/workbook/maintainer/interop.ts';
import { ensureInteropInstall } from '#shared/workbook/maintainer/interop/install.ts';

process.env.WORKBOOK_TARGET ||= 'solutions';
if (!ensureInteropInstall()) {
  console.log('0 passed, 1 failed'); // the Inspector could not be installed: nothing ran
  process.exit(1);
}
const { caCertPath } = await ensureDevCertificates();
if (process.env.NODE_EXTRA_CA_CERTS === caCertPath) {
  process.exitCode = await runInterop();
} else {
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath } });
  process.exitCode = again.status ?? 1;
}
