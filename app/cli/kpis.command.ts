import type { Command } from 'commander';

/** Placeholder: being written. */
export function kpisCommand(_program: Command): void {}
