// The built-in senior-review checklist: what a senior reviewer is accountable for beyond "the code
// looks fine". Used when the base has no .senior-review.json, and extended by one when it has.

import { ChecklistItem } from './checklistTypes';

export const DEFAULT_ITEMS: ChecklistItem[] = [
  { id: 'architecture', title: 'Fits the architecture', required: true, requiresNote: false,
    help: 'The change belongs where it is: module boundaries, dependencies and abstractions stay as the system intends; no shortcut that the next change will have to undo.' },
  { id: 'side-effects', title: 'Callers of the changed code reviewed', required: true, requiresNote: false,
    help: 'Open the call-graph impact of each risky hunk: every caller still gets what it expects (return values, errors, timing, mutation of shared state).' },
  { id: 'legacy', title: 'Legacy code and hotspots understood', required: true, requiresNote: true, when: { hotspotTouched: true },
    help: 'The change touches code that has changed often and needed fixes. Say what made it fragile and why this change does not repeat it.' },
  { id: 'operations', title: 'Operational risk covered', required: true, requiresNote: true, when: { riskAtLeast: 'high' },
    help: 'Deployment order, rollback plan, feature flag, monitoring and alerts for the new behaviour. Write the rollback plan in the note.' },
  { id: 'data', title: 'Data and migrations are safe', required: true, requiresNote: false,
    when: { paths: ['**/migrations/**', '**/migrate/**', '**/*.sql', '**/schema.*', '**/*.prisma', '**/models/**'] },
    help: 'Migrations are reversible or explicitly one-way, run on production-sized data in acceptable time, and old and new code both work during the rollout.' },
  { id: 'security', title: 'Security reviewed', required: true, requiresNote: false,
    help: 'Input validation, authentication and authorisation checks, secrets, injection (SQL, shell, HTML), and what an attacker controls in the changed code paths.' },
  { id: 'tests', title: 'Tests cover the change', required: true, requiresNote: false,
    help: 'The changed behaviour is tested, including the failure paths; the tests would fail without the change.' },
  { id: 'ai-assisted', title: 'AI-assisted parts understood line by line', required: true, requiresNote: true, when: { aiAssisted: true },
    help: 'Lines from AI-assisted commits are read as carefully as a stranger\'s code: no invented APIs, no silent behaviour change, no copied licence-encumbered code. Note what you checked.' },
  { id: 'blast-radius', title: 'Wide change split or staged', required: false, requiresNote: false, when: { filesMoreThan: 20 },
    help: 'A change across many files is hard to review and to roll back: consider splitting it or staging its rollout.' },
];
