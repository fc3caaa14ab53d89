// Where the home screen sends a learner: on with the lab they started (not back to lab 01), and on a
// fresh clone, which labs stand alone in mock mode (from the manifests' buildsOn).
import { describe, expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { homeScreen } from '#shared/workbook/learner/cli.ts';
import { defineLab } from '#shared/workbook/manifest.ts';
import { nextLab, standAloneNote } from '#shared/workbook/learner/where-to-start.ts';
import type { CheckStatus, LabResult, WorkbookResults } from '#shared/workbook/results.ts';

const lab = (id: string, status: CheckStatus): LabResult => ({
  id, slug: `${id}-lab`, title: `Lab ${id}`, earned: 0, possible: 1, passed: status === 'passed' ? 1 : 0, total: 1,
  checks: [{ id: `${id}.1.1`, step: `${id}.1`, title: 'a check', points: 1, gradable: true, status, hint: [] }],
});

describe('the next lab', () => {
  test('on a fresh clone: the first lab', () => {
    const results = [lab('01', 'not-started'), lab('02', 'not-started'), lab('03', 'not-started')];
    expect(nextLab(results, results)?.id).toBe('01');
  });

  test('a learner who started with lab 03 carries on there, not at lab 01', () => {
    const results = [lab('01', 'not-started'), lab('02', 'not-started'), lab('03', 'failed')];
    expect(nextLab(results, [results[0]!, results[1]!])?.id).toBe('03');
  });

  test('a finished lab is passed over; with every lab done there is none', () => {
    const results = [lab('01', 'passed'), lab('02', 'not-started')];
    expect(nextLab(results, [results[1]!])?.id).toBe('02');
    expect(nextLab([lab('01', 'passed')], [])).toBeUndefined();
  });
});

describe('the labs that stand alone', () => {
  test('named from buildsOn, with the labs that do build on another', () => {
    const note = standAloneNote([{ id: '01' }, { id: '02' }, { id: '03' }, { id: '04', buildsOn: ['03'] }, { id: '05' }]);
    expect(note?.join(' ')).toBe("Labs 02, 03 and 05 build on no other lab: in mock mode you may start with any of them (the fake tenant already holds lab 01's registrations); lab 04 builds on lab 03.");
    expect(standAloneNote([{ id: '01' }, { id: '02', buildsOn: ['01'] }]), 'no lab but the first stands alone: nothing to say').toBeUndefined();
  });

  test("this workbook's labs 03 and 05 are among them (the issue a learner asked about)", async () => {
    expect(standAloneNote(await discoverLabs())?.join(' ')).toMatch(/Labs .*03.* and 05 build on no other lab/);
  });
});

describe('the home screen', () => {
  const manifest = (id: string) =>
    defineLab({
      id, slug: `${id}-lab`, title: `Lab ${id}`, summary: 'A lab only this test defines.',
      steps: [{ id: `${id}.1`, title: `Step one of ${id}`, file: 'src/a.ts', readme: '#step-1' }],
      checks: [{ id: `${id}.1.1`, step: `${id}.1`, title: 'a check', points: 1, hint: 'h' }],
    });
  const labs = [manifest('81'), manifest('82')];
  const run = (results: LabResult[]): WorkbookResults => ({ version: 1, target: 'labs', finishedAt: '2026-12-06T00:00:00Z', labs: results, other: { passed: 0, failed: 0, skipped: 0 } });
  const plain = (lines: string[]) => lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '');

  test('a fresh clone: lab 81 first, and the note that lab 82 stands alone', () => {
    const results = [lab('81', 'not-started'), lab('82', 'not-started')];
    const screen = plain(homeScreen(labs, run(results), labs));
    expect(screen).toContain('Next: lab 81, step 81.1');
    expect(screen).toContain('Lab 82 builds on no other lab: in mock mode you may start with it');
  });

  test('lab 82 started: the screen sends the learner on there, with no note', () => {
    const results = [lab('81', 'not-started'), lab('82', 'failed')];
    const screen = plain(homeScreen(labs, run(results), [labs[0]!]));
    expect(screen).toContain('Next: lab 82, step 82.1');
    expect(screen).not.toContain('builds on no other lab');
  });
});
