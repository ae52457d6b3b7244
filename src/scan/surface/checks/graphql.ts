import { isObject, list, parseJson, quote } from '../redact.js';
import type { Answer, CheckInfo, Judgement } from '../types.js';

export const GRAPHQL_INTROSPECTION: CheckInfo = {
  id: 'surface:graphql-introspection',
  title: 'GraphQL introspection enabled',
  owasp: 'API8:2023',
  cwe: 'CWE-200',
  severity: 'medium',
  remediation: 'Disable introspection in production (e.g. Apollo `introspection: false`, graphql-java `NoIntrospectionGraphqlFieldVisibility`), or allow it only to authenticated developers; publish the schema deliberately if clients need it.',
};

export const GRAPHQL_PATHS: readonly string[] = ['graphql', 'api/graphql', 'graphql/v1', 'v1/graphql', 'query', 'gql'];

/** The smallest query that proves introspection: the schema's root type and its type names. */
export const INTROSPECTION_QUERY = 'query IntrospectionQuery { __schema { queryType { name } mutationType { name } types { name kind } } }';

export const INTROSPECTION_BODY = JSON.stringify({ query: INTROSPECTION_QUERY, operationName: 'IntrospectionQuery' });

/**
 * Only a real introspection result counts: `data.__schema` with a `types` list of named types.
 * A GraphQL server that refuses introspection (`errors`, `data: null`), an echo, or a catch-all
 * page never does.
 */
export function judgeIntrospection(a: Answer): Judgement | undefined {
  if (a.status < 200 || a.status >= 300) return undefined;
  const doc = parseJson(a.body);
  if (!isObject(doc) || !isObject(doc['data'])) return undefined;
  const schema = doc['data']['__schema'];
  if (!isObject(schema) || !Array.isArray(schema['types'])) return undefined;
  const named = schema['types'].filter((t): t is Record<string, unknown> => isObject(t) && typeof t['name'] === 'string' && typeof t['kind'] === 'string');
  if (named.length === 0) return undefined;
  const own = named.map((t) => String(t['name'])).filter((n) => !n.startsWith('__'));
  const queryType = isObject(schema['queryType']) && typeof schema['queryType']['name'] === 'string' ? schema['queryType']['name'] : undefined;
  const mutations = isObject(schema['mutationType']) && typeof schema['mutationType']['name'] === 'string';
  return {
    evidence: quote(`introspection answered: ${named.length} types (${list(own, 5)})${queryType ? `, query type ${queryType}` : ''}${mutations ? ', mutations present' : ''}`, 200),
  };
}
