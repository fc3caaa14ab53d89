// npm run client-commands            rewrites every `client-command` block of the guides (labs/, docs/)
//                                    from shared/workbook/client-commands.ts, the one place they are made
// npm run client-commands -- --check says which blocks differ, and writes nothing
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { guidePages, withGuideBlocks } from '#shared/workbook/maintainer/guide-commands.ts';
import { displayPath } from '#shared/workbook/repo.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
let stale = 0;
for (const page of guidePages()) {
  const text = readFileSync(page, 'utf8');
  const updated = withGuideBlocks(text);
  if (updated === text) continue;
  stale += 1;
  if (values.check) console.log(`${pc.red('stale')} ${displayPath(page)}`);
  else {
    writeFileSync(page, updated);
    console.log(`${pc.green('wrote')} ${displayPath(page)}`);
  }
}
if (values.check && stale > 0) {
  console.log(`\nRun ${pc.bold('npm run client-commands')} to write them from shared/workbook/client-commands.ts.`);
  process.exitCode = 1;
}
