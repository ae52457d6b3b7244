#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled output (npm install runs `prepare`, which builds it).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
