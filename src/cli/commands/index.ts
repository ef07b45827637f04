import type { CliCommand } from '../command.js';
import { tokensCommand } from './tokens.js';
import { verifyCommand } from './verify.js';
import { loadFixturesCommand } from './load-fixtures.js';
import { replayCommand } from './replay.js';
import { remindersCommand } from './reminders.js';

export const CLI_COMMANDS: readonly CliCommand[] = [tokensCommand, verifyCommand, loadFixturesCommand, replayCommand, remindersCommand];
