// The journal could not record something: the errno code for programs, a sentence for a person.

export type JournalOp = 'append' | 'sync' | 'compact';

const WHAT: Record<JournalOp, string> = {
  append: 'the change was not recorded and nothing was changed',
  sync: 'the change was made but is not known to be on disk, so a machine crash could lose it',
  compact: 'the journal was left as it was and nothing is lost',
};

function cause(code: string, path: string): string {
  switch (code) {
    case 'ENOSPC':
      return `the disk holding ${path} is full`;
    case 'EDQUOT':
      return `the disk quota of the user owning ${path} is used up`;
    case 'EROFS':
      return `the disk holding ${path} is read-only`;
    case 'EIO':
      return `the disk holding ${path} reported an I/O error`;
    default:
      return `${path} could not be written (${code})`;
  }
}

export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  /** The errno code, e.g. ENOSPC. */
  readonly code: string;

  constructor(
    readonly op: JournalOp,
    readonly path: string,
    err: unknown,
  ) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
    super(`${cause(code, path)}: ${WHAT[op]}. Free some space or fix the disk; the next change tries again.`, { cause: err });
    this.code = code;
  }
}
