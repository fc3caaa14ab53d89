// `npm start -- watch 91` on a fixture workbook (argv[2], whose checks end in .check.ts): the CLI's watch
// command in a process of its own, as a learner runs it. WORKBOOK_TARGET names the folder it watches.
import { discoverLabs } from '#shared/workbook/labs.ts';
import { watch } from '#shared/workbook/learner/cli-watch.ts';

const root = process.argv[2]!;
const labs = await discoverLabs(root);
process.exitCode = await watch(labs, labs[0], { root, testSuffix: '.check.ts' });
