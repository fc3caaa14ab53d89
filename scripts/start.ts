// npm start [-- <command>]: the workbook's home screen, hints, watch mode, solutions, reset and doctor
// (see shared/workbook/learner/cli.ts; `npm start -- help` lists the commands).
import { startCli } from '#shared/workbook/learner/cli.ts';

// `npm start -- solution 03 | less`: when the reader stops reading, stop writing, quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
process.exitCode = await startCli(process.argv.slice(2));
