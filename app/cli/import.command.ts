import type { Command } from 'commander';

/** Placeholder: being written. */
export function importCommand(_program: Command): void {}
