import type { Command } from '../command';
import { catalogCommand } from './catalog';
import { certsCommands } from './certs';
import { directoryCommands } from './directory';
import { ownersCommands } from './owners';
import { profileCommands } from './profiles';
import { validateCommand } from './validate';

/** Every command of `eas-profiles`, in the order `--help` lists them: from a payload to profiles, then owners and their sources. */
export const COMMANDS: readonly Command[] = [
  catalogCommand,
  validateCommand,
  ...profileCommands,
  ...ownersCommands,
  ...certsCommands,
  ...directoryCommands,
];
