import { expect, test } from 'vitest';
import { todo, TodoError } from '#shared/workbook/todo.ts';
import './fixtures/workbook/test/91-greeting/lab.ts';

test('todo() names the step, the guide and the file, from the manifest', () => {
  const error = todo('91.2');
  expect(error).toBeInstanceOf(TodoError);
  expect(error.name).toBe('TodoError');
  expect(error.stepId).toBe('91.2');
  expect(error.message).toBe('TODO(91.2) Count the words: see labs/91-greeting/README.md, step 2 (src/words.ts)');
});

test('a step no loaded manifest knows still reads as an instruction', () => {
  expect(todo('97.4').message).toBe("TODO(97.4): see the lab's README.md, step 4");
});
