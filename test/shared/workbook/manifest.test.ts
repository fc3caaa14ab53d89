import { expect, test } from 'vitest';
import { defineLab, ManifestError, registeredLab, validateLab, type Lab, type LabSpec } from '#shared/workbook/manifest.ts';
import { discoverLabs, labFolders, labsBuildingOn, labsBuiltOn } from '#shared/workbook/labs.ts';
import { FIXTURE_ROOT } from './fixture.ts';

const spec = (): LabSpec => ({
  id: '93',
  slug: '93-manifest',
  title: 'Manifest',
  summary: 'A lab only this test defines.',
  steps: [{ id: '93.1', title: 'Do it', file: 'src/it.ts', readme: '#step-1-do-it' }],
  checks: [{ id: '93.1.1', step: '93.1', title: 'it is done', points: 2, hint: 'Do it.' }],
});

test('defineLab normalises hints and gradable, and registers the lab for todo()', () => {
  const lab = defineLab(spec());
  expect(lab.checks[0]).toMatchObject({ hint: ['Do it.'], gradable: true });
  expect(registeredLab('93')).toBe(lab);
});

test('validation names every problem: ids that do not match the lab, unknown steps, duplicates', () => {
  const bad = spec();
  bad.steps.push({ id: '04.2', title: 'Wrong lab', file: 'src/x.ts', readme: 'step-2' });
  bad.checks.push(
    { id: '93.1.1', step: '93.1', title: 'again', points: 1, hint: 'x' },
    { id: '93.9.1', step: '93.9', title: 'no such step', points: 1, hint: 'x' },
    { id: '93.1.2', step: '93.1', title: 'not graded', points: 3, hint: 'x', gradable: false },
  );
  expect(validateLab(bad)).toEqual([
    'step id "04.2" must look like "93.1"',
    'step 04.2: readme "step-2" must be an anchor like "#step-1-..."',
    'check id "93.1.1" is used twice',
    'check 93.9.1: step "93.9" is not a step of this lab',
    'check 93.1.2 is not gradable: say why in "reason"',
    'check 93.1.2 is not gradable, so it earns no points: set points to 0',
  ]);
  expect(() => defineLab(bad)).toThrow(ManifestError);
});

test('labs are discovered from test/NN-slug/lab.ts, in order', async () => {
  expect(labFolders(FIXTURE_ROOT)).toEqual(['91-greeting']);
  const [lab] = await discoverLabs(FIXTURE_ROOT);
  expect(lab?.slug).toBe('91-greeting');
  expect(lab?.checks.map((check) => check.id)).toEqual(['91.1.1', '91.1.2', '91.2.1']);
});

test('buildsOn names earlier labs, each once', () => {
  expect(validateLab({ ...spec(), buildsOn: ['91', '91', '95', '3'] })).toEqual([
    'buildsOn: lab 91 is named twice',
    'buildsOn: lab 95 is not an earlier lab than 93',
    'buildsOn: "3" must be a lab id, two digits like "03"',
  ]);
  expect(validateLab({ ...spec(), buildsOn: ['91'] })).toEqual([]);
});

test('the labs a lab builds on include theirs, in lab order; an unknown one is an error', () => {
  const lab = (id: string, buildsOn?: string[]) => ({ ...spec(), id, slug: `${id}-x`, ...(buildsOn ? { buildsOn } : {}), checks: [] }) as unknown as Lab;
  const labs = [lab('01'), lab('02', ['01']), lab('03'), lab('04', ['03', '02'])];
  expect(labsBuiltOn(labs[3]!, labs).map((built) => built.id)).toEqual(['01', '02', '03']);
  expect(labsBuiltOn(labs[0]!, labs)).toEqual([]);
  expect(labsBuildingOn(labs[0]!, labs).map((later) => later.id), 'whose results change with lab 01').toEqual(['02', '04']);
  expect(labsBuildingOn(labs[3]!, labs)).toEqual([]);
  expect(() => labsBuiltOn(lab('05', ['07']), labs)).toThrow('lab 05 builds on lab 07, which this workbook does not have');
});
