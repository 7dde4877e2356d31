// Process liveness for the engine and services: the registry decides who owns a
// run (registry/owner-probe.ts), so its answer is the one everybody uses.
export { isEngineProcess, isProcessAlive } from '../../registry/index';
