import type { Command } from 'commander';

/** Placeholder: being written. */
export function serveCommand(_program: Command): void {}
