import type { Answer, CheckInfo, Judgement } from '../types.js';
import { ADMIN_INTERFACE, ADMIN_PATHS, CONSOLE_PATHS, DEBUG_CONSOLE, DEBUG_ENDPOINT, DEBUG_PATHS, judgeAdmin, judgeConsole, judgeDebugEndpoint } from './debug.js';
import { DOC_PATHS, DOC_UI_PATHS, EXPOSED_DOCS_UI, EXPOSED_OPENAPI, judgeApiDocument, judgeDocsUi } from './docs.js';
import { DOTENV, DOTENV_PATHS, GIT_EXPOSED, GIT_PATHS, PHPINFO, PHPINFO_PATHS, judgeDotenv, judgeGit, judgePhpinfo } from './files.js';
import { GRAPHQL_INTROSPECTION } from './graphql.js';
import { CORS_ANY_ORIGIN, MISSING_HSTS, PLAINTEXT_HTTP, VERSION_BANNER } from './headers.js';
import {
  ACTUATOR, ACTUATOR_ENV, ACTUATOR_ENV_PATHS, ACTUATOR_PATHS, EXPVAR_PATHS, GO_EXPVAR, GO_PPROF, METRICS_PATHS, PPROF_PATHS,
  PROMETHEUS_METRICS, SERVER_STATUS, SERVER_STATUS_PATHS, judgeActuator, judgeActuatorEnv, judgeExpvar, judgeMetrics, judgePprof, judgeServerStatus,
} from './management.js';
import { OLD_API_VERSION } from './versions.js';
import { VERBOSE_ERROR } from './errors.js';

/**
 * A probe that is one GET per path: where to look and how to recognise what it finds. `root` probes
 * run at `/` and at the target's base path; `api` probes also under each API version prefix found.
 */
export interface PathProbe {
  check: CheckInfo;
  paths: readonly string[];
  scope: 'root' | 'api';
  /** Sent with the GET (e.g. `Accept`). */
  headers?: Record<string, string>;
  judge(a: Answer): Judgement | undefined;
}

export const PATH_PROBES: readonly PathProbe[] = [
  { check: EXPOSED_OPENAPI, paths: DOC_PATHS, scope: 'root', headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' }, judge: judgeApiDocument },
  { check: EXPOSED_DOCS_UI, paths: DOC_UI_PATHS, scope: 'root', headers: { accept: 'text/html, */*;q=0.5' }, judge: judgeDocsUi },
  { check: ACTUATOR, paths: ACTUATOR_PATHS, scope: 'root', judge: judgeActuator },
  { check: ACTUATOR_ENV, paths: ACTUATOR_ENV_PATHS, scope: 'root', judge: judgeActuatorEnv },
  { check: GO_EXPVAR, paths: EXPVAR_PATHS, scope: 'root', judge: judgeExpvar },
  { check: GO_PPROF, paths: PPROF_PATHS, scope: 'root', judge: judgePprof },
  { check: SERVER_STATUS, paths: SERVER_STATUS_PATHS, scope: 'root', judge: judgeServerStatus },
  { check: PROMETHEUS_METRICS, paths: METRICS_PATHS, scope: 'root', judge: judgeMetrics },
  { check: DOTENV, paths: DOTENV_PATHS, scope: 'root', judge: judgeDotenv },
  { check: GIT_EXPOSED, paths: GIT_PATHS, scope: 'root', judge: judgeGit },
  { check: PHPINFO, paths: PHPINFO_PATHS, scope: 'root', judge: judgePhpinfo },
  { check: DEBUG_CONSOLE, paths: CONSOLE_PATHS, scope: 'root', judge: judgeConsole },
  { check: ADMIN_INTERFACE, paths: ADMIN_PATHS, scope: 'root', judge: judgeAdmin },
  { check: DEBUG_ENDPOINT, paths: DEBUG_PATHS, scope: 'api', judge: judgeDebugEndpoint },
];

/** Every kind of finding the surface check can report, for the docs and the report legend. */
export const ALL_CHECKS: readonly CheckInfo[] = [
  ...PATH_PROBES.map((p) => p.check), GRAPHQL_INTROSPECTION, OLD_API_VERSION, VERBOSE_ERROR,
  PLAINTEXT_HTTP, MISSING_HSTS, VERSION_BANNER, CORS_ANY_ORIGIN,
];
