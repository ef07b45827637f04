import type { CliCommand } from '../command.js';
import { tokensCommand } from './tokens.js';
import { verifyCommand } from './verify.js';

export const CLI_COMMANDS: readonly CliCommand[] = [tokensCommand, verifyCommand];
