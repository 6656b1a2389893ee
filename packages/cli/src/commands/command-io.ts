/** Where a command writes; tests pass their own to read what a user would see. */
export type CommandIo = {
  /** Results: tables, converted files. */
  out(text: string): void;
  /** Notes and warnings; progress bars write to process.stderr directly. */
  err(text: string): void;
};

export const processIo: CommandIo = {
  out: (text) => {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  err: (text) => {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  },
};
