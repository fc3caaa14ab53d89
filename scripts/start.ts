// npm start: the workbook's home screen (see shared/workbook/cli.ts).
import { home } from '#shared/workbook/cli.ts';

await home();
