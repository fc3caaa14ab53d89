/** Set in a tied child's environment (tied-child.ts): tie.ts then expects an IPC channel to its parent. */
export const TIED_MARKER = 'WORKBOOK_TIED_CHILD';
