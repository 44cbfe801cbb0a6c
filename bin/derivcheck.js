#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run by `prepare` on install).
import '../dist/src/cli/main.js';
