/**
 * Word lists that the rules (detect.ts) and their pre-checks (precheck.ts) both read: one
 * definition, so a pre-check can never be looking for a different word than its rule.
 */

/** Oracle/MSSQL packages whose dotted members call out or stall (`utl_http.request`, `dbms_pipe.receive_message`). */
const DANGEROUS_PACKAGES = ['UTL_INADDR.', 'UTL_HTTP.', 'DBMS_PIPE.', 'DBMS_LOCK.', 'CTXSYS.', 'DBMS_XMLGEN.', 'SYS.'];
/** System catalogs an attacker reads to map the database. */
const CATALOGS = [
  'INFORMATION_SCHEMA', 'SYSOBJECTS', 'SYSCOLUMNS', 'SYSUSERS', 'SYSDATABASES', 'MYSQL.USER', 'PG_SHADOW', 'PG_USER', 'PG_TABLES',
  'PG_CATALOG', 'ALL_TABLES', 'ALL_TAB_COLUMNS', 'USER_TABLES', 'SQLITE_MASTER', 'MSYSOBJECTS', 'MASTER.DBO', 'SYS.',
];
const prefixOf = (names: readonly string[]): RegExp => new RegExp(`^(?:${names.map((n) => n.replace(/\./g, '\\.')).join('|')})`);
/** An upper-cased word that starts with a dangerous package's name and a dot. */
export const DOTTED_DANGER = prefixOf(DANGEROUS_PACKAGES);
/** An upper-cased word that starts with a system catalog's name. */
export const CATALOG = prefixOf(CATALOGS);
/** The first three characters of every name either regex can match: a word starting otherwise is neither. */
export const NAME_PREFIXES: ReadonlySet<string> = new Set([...DANGEROUS_PACKAGES, ...CATALOGS].map((n) => n.slice(0, 3)));

/** First letters of DOTTED_DANGER and CATALOG names: most barewords fail this before any regex runs. */
const PACKAGE_INITIALS = new Set(['U', 'D', 'C', 'S', 'I', 'M', 'P', 'A']);
export const mayNamePackage = (x: string): boolean => x.length > 3 && PACKAGE_INITIALS.has(x[0]!);

/**
 * The token texts a statement can start with for `statementAt` (detect.ts) to accept it: its
 * switch's cases and the time functions of its default branch. statementAt returns false for
 * anything else before its switch, so this set is exact by construction, and the pre-check reads
 * a `;` as a possible stacked query only when one of these words follows it.
 */
export const STATEMENT_STARTS: ReadonlySet<string> = new Set([
  'SELECT', 'DROP', 'CREATE', 'ALTER', 'TRUNCATE', 'INSERT', 'REPLACE', 'DELETE', 'UPDATE', 'EXEC', 'EXECUTE',
  'COPY', 'LOAD', 'BEGIN', 'GRANT', 'DECLARE', 'SET', 'SHUTDOWN', 'WAITFOR DELAY', 'WAITFOR TIME', 'IF', 'WHILE',
  'SLEEP', 'BENCHMARK', 'PG_SLEEP',
]);
