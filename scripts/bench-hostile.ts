// npm run bench:hostile: hostile clients against the reference servers of labs 03-05 (see shared/workbook/bench-hostile.ts).
import { runHostileBench } from '#shared/workbook/bench-hostile.ts';

process.exitCode = await runHostileBench(process.argv.slice(2));
