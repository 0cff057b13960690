// Every CLI command, in the order `senior-review --help` lists them.

import { CliCommand } from './cliTypes';
import { analyzeCommand } from './analyzeCommand';
import { demoCommand } from './demoCommand';
import { hotspotsCommand } from './hotspotsCommand';

export const COMMANDS: CliCommand[] = [analyzeCommand, hotspotsCommand, demoCommand];
