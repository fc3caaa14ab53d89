// npm run starters            writes labs/NN-slug/ from solutions/NN-slug/ (never README.md)
// npm run starters -- --check reports where labs/ has drifted from the solutions, and writes nothing
// --root <folder> works on another workbook (the machinery's test fixtures).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { displayPath, REPO_ROOT } from '#shared/workbook/repo.ts';
import { compareLab, describeDrift, generateLab, pristineDir } from '#shared/workbook/starters.ts';

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, root: { type: 'string', default: REPO_ROOT } },
});
const root = resolve(values.root);
const outRoot = values.check ? pristineDir(root) : join(root, 'labs');
let drifted = 0;

for (const lab of await discoverLabs(root)) {
  const files = generateLab(root, lab, outRoot);
  if (!values.check) {
    console.log(`${pc.green('wrote')} ${displayPath(join(outRoot, lab.slug))}/ (${files.length} files)`);
    continue;
  }
  const drift = compareLab(join(outRoot, lab.slug), join(root, 'labs', lab.slug));
  drifted += drift.length;
  for (const item of drift) console.log(`${pc.red('drift')} ${describeDrift(lab.slug, item)}`);
  if (drift.length === 0) console.log(`${pc.green('ok')}    labs/${lab.slug}/ matches solutions/${lab.slug}/`);
}
if (values.check && drifted > 0) {
  console.log(`\nRun ${pc.bold('npm run starters')} to regenerate labs/ from solutions/.`);
  process.exitCode = 1;
}
