import type { Command } from '../command';
import { catalogCommand } from './catalog';
import { validateCommand } from './validate';

/** Every command of `eas-profiles`, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [catalogCommand, validateCommand];
