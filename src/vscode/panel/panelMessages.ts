// Messages between the checklist webview and the extension, typed in one place.
export interface PanelItem {
  id: string;
  title: string;
  help: string;
  required: boolean;
  requiresNote: boolean;
  checked: boolean;
  note: string;
}

export interface PanelState {
  open: boolean;
  range: string;
  reviewer: string;
  risk: { score: number; level: string; reasons: string[] } | null;
  items: PanelItem[];
  /**
   * The review's fixed list of hunks to visit, null until history is read. `figure` is "82 high",
   * `name` the declarations the hunk changes, `path` the whole path (the panel shortens it to fit).
   */
  toVisit: Array<{ id: string; figure: string; name: string; path: string; level: string; visited: boolean }> | null;
  source: string;
  /** The pull request the review was opened from (GitHub or GitLab number), null for a local range. */
  pullRequest: number | null;
}

export type FromPanel =
  | { type: 'ready' }
  | { type: 'tick'; id: string; checked: boolean }
  | { type: 'note'; id: string; text: string }
  | { type: 'openHunk'; id: string }
  | { type: 'approve' }
  | { type: 'requestChanges' }
  | { type: 'publish' };

export type ToPanel = { type: 'state'; state: PanelState };
