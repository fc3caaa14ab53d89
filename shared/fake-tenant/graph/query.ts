// The OData query options the fake Graph understands: `$select`, `$filter` (`property eq 'value'`
// clauses joined by `and`, compared case-insensitively as the directory does), `$top` and the
// `$skiptoken` of a next page. Anything else fails loudly instead of being silently ignored.
import { badRequest, GraphError } from './errors.ts';

/** What the parser needs to know about an entity type. */
export interface EntityType {
  /** OData type name, e.g. `microsoft.graph.user`. */
  typeName: string;
  /** The directory's name in filter errors, e.g. `User`. */
  resource: string;
  /** Every property `$select` may name, spelled as Graph spells them. */
  properties: readonly string[];
  /** The properties `$filter` may compare. */
  filterable: readonly string[];
}

export interface FilterClause {
  property: string;
  value: string;
}

export interface Query {
  /** The selected properties, canonically spelled; undefined when there is no `$select`. */
  select?: string[];
  filter: FilterClause[];
  /** Page size. */
  top: number;
  /** Where the page starts (from `$skiptoken`). */
  offset: number;
}

const DEFAULT_PAGE_SIZE = 100;
const SUPPORTED_OPTIONS = new Set(['$select', '$filter', '$top', '$skiptoken']);

export function parseQuery(url: URL, type: EntityType): Query {
  for (const name of url.searchParams.keys()) {
    if (name.startsWith('$') && !SUPPORTED_OPTIONS.has(name.toLowerCase())) {
      throw new GraphError(400, 'Request_UnsupportedQuery', `The fake Graph does not support the query option '${name}'.`);
    }
  }
  const select = url.searchParams.get('$select');
  const filter = url.searchParams.get('$filter');
  return {
    ...(select !== null ? { select: parseSelect(select, type) } : {}),
    filter: filter !== null ? parseFilter(filter, type) : [],
    top: parseTop(url.searchParams.get('$top')),
    offset: parseSkipToken(url.searchParams.get('$skiptoken')),
  };
}

function canonical(name: string, among: readonly string[]): string | undefined {
  return among.find((property) => property.toLowerCase() === name.toLowerCase());
}

function parseSelect(select: string, type: EntityType): string[] {
  return select.split(',').map((raw) => {
    const name = raw.trim();
    const property = canonical(name, type.properties);
    if (!property) throw badRequest(`Could not find a property named '${name}' on type '${type.typeName}'.`);
    return property;
  });
}

// One clause: `displayName eq 'Contoso''s app'` (a quote inside a string literal is doubled).
const CLAUSE = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*/;
const AND = /^and\s+/i;

function parseFilter(filter: string, type: EntityType): FilterClause[] {
  const clauses: FilterClause[] = [];
  let rest = filter;
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported query: the fake Graph understands only "property eq 'value'" clauses joined by "and" (got "${filter}").`,
      );
    }
    const property = canonical(match[1]!, type.filterable);
    if (!property) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${match[1]}' of resource '${type.resource}'.`,
      );
    }
    clauses.push({ property, value: match[2]!.replaceAll("''", "'") });
    rest = rest.slice(match[0].length);
    if (rest === '') return clauses;
    if (!AND.test(rest)) throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported query: "${filter}".`);
    rest = rest.replace(AND, '');
  }
}

function parseTop(top: string | null): number {
  if (top === null) return DEFAULT_PAGE_SIZE;
  const size = Number(top);
  if (!Number.isInteger(size) || size < 1 || size > 999) {
    throw badRequest(`Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
  }
  return size;
}

// A skiptoken is opaque to clients: they follow `@odata.nextLink` and never build one.
export const skipToken = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');

function parseSkipToken(token: string | null): number {
  if (token === null) return 0;
  const offset = Number(/^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString())?.[1]);
  if (!Number.isInteger(offset)) throw badRequest('The skip token is not valid.');
  return offset;
}

/** Whether an entity satisfies every clause. */
export function matchesFilter(entity: Record<string, unknown>, clauses: FilterClause[]): boolean {
  return clauses.every(({ property, value }) => {
    const actual = entity[property];
    return typeof actual === 'string' && actual.toLowerCase() === value.toLowerCase();
  });
}

/** Only the given properties (a `$select`), in that order; all of them when none are given. */
export function project(entity: Record<string, unknown>, properties: readonly string[] | undefined): Record<string, unknown> {
  if (!properties) return entity;
  return Object.fromEntries(properties.map((property) => [property, entity[property] ?? null]));
}
