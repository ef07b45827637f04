import type { CliCommand } from '../command.js';
import { tokensCommand } from './tokens.js';

export const CLI_COMMANDS: readonly CliCommand[] = [tokensCommand];
