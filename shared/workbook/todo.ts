// todo(): what a starter does where the learner has work to do. The error it returns reads like the
// next instruction: `TODO(03.2) Handle Entra's callback: see labs/03-confidential-client/README.md, step 2 (src/auth-provider.ts)`.
import { labFolders, loadLab } from './labs.ts';
import { registeredLab } from './manifest.ts';
import { REPO_ROOT } from './repo.ts';

export class TodoError extends Error {
  override name = 'TodoError';
  constructor(
    readonly stepId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The error a starter throws at an unfinished step: `throw todo('03.2');`. A step with a second file
 * names it (`todo('04.4', 'src/rate-limit.ts')`), so the message sends the learner to the right one.
 */
export function todo(stepId: string, file?: string): TodoError {
  return new TodoError(stepId, todoMessage(stepId, file));
}

export function todoMessage(stepId: string, file?: string): string {
  const [labId, stepNumber] = stepId.split('.');
  const lab = registeredLab(labId ?? '');
  const step = lab?.steps.find((candidate) => candidate.id === stepId);
  if (!lab || !step) return `TODO(${stepId}): see the lab's README.md, step ${stepNumber}`;
  return `TODO(${stepId}) ${step.title}: see labs/${lab.slug}/README.md, step ${stepNumber} (${file ?? step.file})`;
}

// todo() must answer synchronously, so the manifests are loaded when this module is: a check has
// usually loaded its own lab already; a child process (a stdio server run with tsx) has not.
await Promise.all(
  labFolders(REPO_ROOT)
    .filter((folder) => !registeredLab(folder.slice(0, 2)))
    .map((folder) => loadLab(REPO_ROOT, folder).catch(() => undefined)), // a broken manifest: the short message will do
);
