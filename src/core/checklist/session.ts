// The review session moved to core/loop (it is the loop's review state now): this keeps the import
// path of its earlier callers (signoff/reviewContext, the editor) until they import from there.

export type { ReviewSession, Reconciled } from '../loop/reviewSession';
export { sessionFile, newSession, loadSession, saveSession, deleteSession, reconcileSession, tick, setNote, visit, isChecked, noteOf, notesOf } from '../loop/reviewSession';
