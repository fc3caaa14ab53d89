import { stripVTControlCharacters } from 'node:util';
import { expect, test } from 'vitest';
import { commandLine, commandList, parseCommand, UsageError } from '#shared/workbook/learner/cli-args.ts';

test.each([
  [[], { name: 'home' }],
  [['hint'], { name: 'hint' }],
  [['hint', '03'], { name: 'hint', lab: '03' }],
  [['watch', '03-confidential-client'], { name: 'watch', lab: '03-confidential-client' }],
  [['run', '02'], { name: 'run', lab: '02' }],
  [['break', '03'], { name: 'break', lab: '03' }],
  [['solution', '03'], { name: 'solution', lab: '03', force: false }],
  [['solution', '03', '--force'], { name: 'solution', lab: '03', force: true }],
  [['reset', '01', '--yes'], { name: 'reset', lab: '01', yes: true }],
  [['reset', '-y', '01'], { name: 'reset', lab: '01', yes: true }],
  [['doctor'], { name: 'doctor' }],
  [['help'], { name: 'help' }],
  [['--help'], { name: 'help' }],
])('npm start -- %j', (argv, command) => {
  expect(parseCommand(argv)).toEqual(command);
});

test.each([
  [['bogus'], 'There is no command "bogus".'],
  [['reset'], 'Name a lab: npm start -- reset NN [--yes]'],
  [['run'], 'Name a lab: npm start -- run NN'],
  [['break'], 'Name a lab: npm start -- break NN'],
  [['doctor', '03'], 'Too many arguments: npm start -- doctor'],
  [['hint', '03', '04'], 'Too many arguments: npm start -- hint [NN]'],
  [['hint', '03', '--force'], '--force does not go with hint: npm start -- hint [NN]'],
  [['watch', '--frob'], "Unknown option '--frob'."],
])('npm start -- %j is a usage error: %s', (argv, message) => {
  expect(() => parseCommand(argv)).toThrow(new UsageError(message));
});

test('the command list names every command; the home screen gets them in one line', () => {
  const list = stripVTControlCharacters(commandList().join('\n'));
  for (const usage of ['hint [NN]', 'watch [NN]', 'run NN', 'break NN', 'solution NN [--force]', 'reset NN [--yes]', 'doctor', 'help']) expect(list).toContain(usage);
  expect(stripVTControlCharacters(commandLine())).toBe('    npm start -- <command>      hint [NN] · watch [NN] · run NN · break NN · solution NN · reset NN · doctor · help');
});
