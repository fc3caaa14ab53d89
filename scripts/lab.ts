// npm run lab -- NN: run lab NN by hand against the fake tenant (see shared/workbook/learner/hand-run.ts).
import pc from 'picocolors';
import { handRun, HandRunError } from '#shared/workbook/learner/hand-run.ts';
import { UnknownLabError } from '#shared/workbook/labs.ts';
import { SettingsError } from '#shared/settings.ts';
import { TargetError } from '#shared/workbook/target.ts';

try {
  process.exitCode = await handRun(process.argv[2]);
} catch (error) {
  if (!(error instanceof HandRunError || error instanceof UnknownLabError || error instanceof TargetError || error instanceof SettingsError)) throw error;
  console.error(pc.red(error.message));
  process.exitCode = 1;
}
