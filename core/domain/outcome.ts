/**
 * An expected result of a use case: a value, or a reason a dialog turns into localized text.
 * Exceptions are for bugs and infrastructure only (DESIGN.md section 5).
 */
export type Outcome<T, Reason extends string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: Reason };
