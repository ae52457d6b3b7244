/**
 * Adversarial suite, first half of catalogue sections A, C, D and E (A1–A14, C1–C11, D1–D6, E1–E9),
 * against the real gateway in process. Rows live in cases/; invariants P1–P5 in harness/.
 */
import { exhaustiveVariants } from './cases/a10-exhaustive.js';
import { framingCases } from './cases/a-framing.js';
import { pathCases } from './cases/c-paths.js';
import { headerCases } from './cases/d-headers.js';
import { bodyCases } from './cases/e-bodies.js';
import { startTestGateway } from './harness/gateway.js';
import { defineAdversarialSuite } from './harness/suite.js';

defineAdversarialSuite({
  title: 'adversarial A1–A14, C1–C11, D1–D6, E1–E9',
  start: startTestGateway,
  cases: [...framingCases, ...pathCases, ...headerCases, ...bodyCases],
  exhaustive: exhaustiveVariants(),
});
