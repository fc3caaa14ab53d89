// Finds the assertions of the lab checks that give the learner no label: an `expect(value)` without a
// message, or a label on a `.resolves`/`.rejects` chain, which vitest drops (await the value, then
// assert it with the label). It reads the syntax tree (vitest's own parser, oxc through vite), so
// nesting, strings and comments cannot fool it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAst } from 'vitest/node';

export interface Unlabelled {
  /** `test/NN-slug/file.ts:line` */
  where: string;
  problem: 'no label' | 'label lost on .resolves/.rejects';
}

interface AstNode {
  type: string;
  start: number;
  [key: string]: unknown;
}

/** `expect(...)` and `expect.soft(...)`: the calls that make an assertion (not expect.any and such). */
function isExpectCall(node: AstNode): boolean {
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee as AstNode;
  if (callee.type === 'Identifier') return callee.name === 'expect';
  return callee.type === 'MemberExpression' && (callee.object as AstNode).type === 'Identifier'
    && (callee.object as AstNode).name === 'expect' && ['soft', 'poll'].includes(((callee.property as AstNode).name as string) ?? '');
}

function children(node: AstNode): AstNode[] {
  return Object.values(node).flatMap((value) => (Array.isArray(value) ? value : [value]))
    .filter((value): value is AstNode => typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string');
}

/** The unlabelled assertions of one source text, with their line numbers. */
export function findUnlabelled(source: string, file: string): Unlabelled[] {
  const found: Unlabelled[] = [];
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const visit = (node: AstNode) => {
    if (isExpectCall(node) && (node.arguments as AstNode[]).length < 2) found.push({ where: `${file}:${lineOf(node.start)}`, problem: 'no label' });
    if (node.type === 'MemberExpression' && isExpectCall(node.object as AstNode) && ['resolves', 'rejects'].includes((node.property as AstNode).name as string)
      && ((node.object as AstNode).arguments as AstNode[]).length >= 2) {
      found.push({ where: `${file}:${lineOf(node.start)}`, problem: 'label lost on .resolves/.rejects' });
    }
    children(node).forEach(visit);
  };
  visit(parseAst(source, { lang: 'ts' }, file) as unknown as AstNode);
  return found;
}

/** Every TypeScript file of every lab's checks (`test/NN-slug/`, helpers included). */
export function checkFiles(root: string): string[] {
  return readdirSync(join(root, 'test'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
    .flatMap((folder) => readdirSync(join(root, 'test', folder.name), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `test/${folder.name}/${name.split('\\').join('/')}`))
    .sort();
}

export function unlabelledAssertions(root: string): Unlabelled[] {
  return checkFiles(root).flatMap((file) => findUnlabelled(readFileSync(join(root, file), 'utf8'), file));
}
