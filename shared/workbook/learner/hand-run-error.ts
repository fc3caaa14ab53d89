/** A hand run that cannot start, with what to do about it: printed as it is, without a stack. */
export class HandRunError extends Error {
  override name = 'HandRunError';
}
