// Runs before each check file (LAB_CHECKS in projects.ts). The worker is shared between check files, so
// this is what keeps them apart: every module that is not a library (the lab's code, the checks, the
// shared code) is evaluated again for this file, with its own module state; node_modules stay loaded.
import { vi } from 'vitest';

vi.resetModules();
// A check file that faked the clock and stopped early must not hand its fake clock to the next one.
vi.useRealTimers();
