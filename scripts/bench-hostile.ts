// npm run bench:hostile: hostile clients against the servers of labs 03-05 (see shared/workbook/maintainer/bench-hostile.ts):
// the reference solutions, unless WORKBOOK_TARGET names another copy (WORKBOOK_TARGET=labs: your own).
import { runHostileBench } from '#shared/workbook/maintainer/bench-hostile.ts';

process.env.WORKBOOK_TARGET ||= 'solutions';
process.exitCode = await runHostileBench(process.argv.slice(2));
