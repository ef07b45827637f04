/** The mixed phase's writes in a process of their own: see `OpenLoopProcess` in bench/http.ts. */
import { openLoopChild } from './http.js';

await openLoopChild();
