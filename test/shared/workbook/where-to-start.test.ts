// Where the home screen sends a learner: on with the lab they started (not back to lab 01), and on a
// fresh clone, which labs stand alone in mock mode (from the manifests' buildsOn).
import { describe, expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { nextLab, standAloneNote } from '#shared/workbook/learner/where-to-start.ts';
import type { CheckStatus, LabResult } from '#shared/workbook/results.ts';

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
    expect(note).toBe("Labs 02, 03 and 05 build on no other lab: in mock mode the fake tenant stands in for lab 01's registrations, so you may start there too; lab 04 builds on lab 03.");
  });

  test("this workbook's labs 03 and 05 are among them (the issue a learner asked about)", async () => {
    expect(standAloneNote(await discoverLabs())).toMatch(/Labs .*03.* and 05 build on no other lab/);
  });
});
