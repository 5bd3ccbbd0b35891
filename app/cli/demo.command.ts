import type { Command } from 'commander';

/** Placeholder: being written. */
export function demoCommand(_program: Command): void {}
