/**
 * Adversarial suite, second half of catalogue sections C, D and E (C12–C21, D7–D11, E10–E18).
 */
import { secondHalfCases } from './cases/second-half.js';
import { startTestGateway } from './harness/gateway.js';
import { defineAdversarialSuite } from './harness/suite.js';

defineAdversarialSuite({
  title: 'adversarial C12–C21, D7–D11, E10–E18',
  start: startTestGateway,
  cases: secondHalfCases,
});
