/** Input that cannot be read at all (corrupt file, wrong passphrase, key that does not match): the message names the file. */
export class ProfileInputError extends Error {
  override name = 'ProfileInputError';
  constructor(
    message: string,
    /** The file (or item) the problem is in. */
    readonly source: string,
  ) {
    super(message);
  }
}
