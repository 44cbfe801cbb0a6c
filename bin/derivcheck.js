#!/usr/bin/env node
// The CLI is bundled to dist/cli/ by `npm run build` (run by `prepare` on install).
import '../dist/cli/launch.js';
