#!/usr/bin/env node
// The CLI is TypeScript run as is (the same sources as the app), so tsx compiles it on the fly.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
