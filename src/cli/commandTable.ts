// Every CLI command, in the order `senior-review --help` lists them.

import { CliCommand } from './cliTypes';
import { analyzeCommand } from './analyzeCommand';
import { demoCommand } from './demoCommand';
import { hotspotsCommand } from './hotspotsCommand';
import { approveCommand } from './approveCommand';
import { verifyCommand } from './verifyCommand';
import { checklistCommand } from './checklistCommand';
import { backtestCommand, calibrateCommand, evaluateCommand, levelsCommand } from './riskCommands';
import { impactCommand } from './impactCommand';
import { prsCommand } from './prSupport';
import { commentCommand, commentsCommand } from './commentCommands';
import { publishCommand } from './publishCommand';
import { pushCommand } from './pushCommand';

export const COMMANDS: CliCommand[] = [analyzeCommand, impactCommand, hotspotsCommand, checklistCommand, commentCommand, commentsCommand, publishCommand, approveCommand, pushCommand, verifyCommand, levelsCommand, backtestCommand, evaluateCommand, calibrateCommand, prsCommand, demoCommand];
