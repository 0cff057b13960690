// Checklist webview: renders the state the extension posts, sends ticks, notes and actions back.
// Text is always set with textContent (never HTML), so nothing from a repository can run.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  let state = vscode.getState();
  // Note text typed but not sent yet (a note is sent when its box loses focus), by item id: the
  // panel draws itself again whenever the review changes (a tick, the analysis moving on), and that
  // must neither drop what the reviewer is typing nor take the focus from them.
  let drafts = new Map();
  let draftsOf = null;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v !== false && v !== undefined) e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c) e.appendChild(c);
    return e;
  }

  function render() {
    const typing = document.activeElement && document.activeElement.tagName === 'TEXTAREA' && root.contains(document.activeElement)
      ? { id: document.activeElement.dataset.item, start: document.activeElement.selectionStart, end: document.activeElement.selectionEnd }
      : null;
    // Drafts belong to one review.
    const review = state && state.open ? state.range : null;
    if (review !== draftsOf) drafts = new Map();
    draftsOf = review;
    const noteBoxes = new Map();
    root.replaceChildren();
    if (!state || !state.open) {
      root.appendChild(el('p', { class: 'empty', text: 'No review is open. Run “Senior Review: Open Review…” from the command palette.' }));
      return;
    }
    const done = state.items.filter((i) => i.checked).length;
    root.appendChild(el('h2', { text: state.range }));
    if (state.risk) {
      const risk = el('p', { class: `risk risk-${state.risk.level}`, text: `Risk ${state.risk.score} — ${state.risk.level}` });
      root.appendChild(risk);
      const ul = el('ul', { class: 'reasons' });
      state.risk.reasons.slice(0, 4).forEach((r) => ul.appendChild(el('li', { text: r })));
      root.appendChild(ul);
    }
    root.appendChild(el('progress', { max: String(state.items.length), value: String(done), 'aria-label': `${done} of ${state.items.length} checks done` }));
    root.appendChild(el('p', { class: 'progress', text: `${done} of ${state.items.length} checks · ${state.source}` }));
    const list = el('ul', { class: 'items' });
    for (const item of state.items) {
      const id = `item-${item.id}`;
      const box = el('input', { type: 'checkbox', id, checked: item.checked, onchange: (e) => vscode.postMessage({ type: 'tick', id: item.id, checked: e.target.checked }) });
      const label = el('label', { for: id, text: item.title + (item.required ? '' : ' (optional)') });
      const li = el('li', { class: 'item' }, box, label, el('p', { class: 'help', text: item.help }));
      if (item.requiresNote) {
        // The extension keeps 2,000 characters of a note: the box takes no more, so a draft is what it keeps.
        const ta = el('textarea', { 'aria-label': `Note for ${item.title}`, placeholder: 'Required note', rows: '2', maxlength: '2000' });
        ta.dataset.item = item.id;
        // A draft the extension now holds is no longer a draft.
        if (drafts.get(item.id) === item.note) drafts.delete(item.id);
        ta.value = drafts.has(item.id) ? drafts.get(item.id) : item.note;
        ta.addEventListener('input', () => drafts.set(item.id, ta.value));
        // Sent on leaving the box: a box drawn again around a draft has no change of its own to report.
        ta.addEventListener('blur', () => {
          if (drafts.has(item.id)) vscode.postMessage({ type: 'note', id: item.id, text: ta.value });
        });
        noteBoxes.set(item.id, ta);
        li.appendChild(ta);
      }
      list.appendChild(li);
    }
    root.appendChild(list);
    // Not known until history is read: said so, never an empty list that later fills.
    if (!state.toVisit) root.appendChild(el('h3', { class: 'to-visit-pending', text: 'Hunks to visit: known once history is read…' }));
    const pending = (state.toVisit || []).filter((h) => !h.visited);
    if (state.toVisit && state.toVisit.length) {
      root.appendChild(el('h3', { text: `Hunks to visit (${pending.length} left)` }));
      const hv = el('ul', { class: 'hunks' });
      for (const h of state.toVisit) {
        const path = el('span', { class: 'hunk-path', 'data-path': h.path });
        const button = el('button', { class: `link ${h.visited ? 'visited' : ''}`, 'aria-label': `${h.visited ? 'visited, ' : ''}${h.figure}: ${h.name} in ${h.path}`, onclick: () => vscode.postMessage({ type: 'openHunk', id: h.id }) },
          el('span', { class: 'hunk-name', text: `${h.visited ? '✓ ' : ''}${h.figure} · ${h.name}` }), path);
        hv.appendChild(el('li', {}, button));
      }
      root.appendChild(hv);
    }
    root.appendChild(el('div', { class: 'actions' },
      el('button', { class: 'primary', id: 'approve', text: 'Approve', onclick: () => vscode.postMessage({ type: 'approve' }) }),
      el('button', { class: 'secondary', id: 'request-changes', text: 'Request changes', onclick: () => vscode.postMessage({ type: 'requestChanges' }) }),
      // Only a review opened from a pull request has somewhere to publish to.
      ...(state.pullRequest ? [el('button', { class: 'secondary', id: 'publish', text: `Publish to #${state.pullRequest}`, onclick: () => vscode.postMessage({ type: 'publish' }) })] : [])));
    fitPaths();
    const box = typing && noteBoxes.get(typing.id);
    if (box) {
      box.focus();
      box.setSelectionRange(typing.start, typing.end);
    }
  }

  // Paths are shortened to the width they have: again whenever the panel is resized.
  function fitPaths() {
    for (const p of root.querySelectorAll('.hunk-path')) window.seniorReviewPaths.fitPath(p, p.dataset.path);
  }
  new ResizeObserver(fitPaths).observe(root);

  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'state') {
      state = event.data.state;
      vscode.setState(state);
      render();
    }
  });
  render();
  vscode.postMessage({ type: 'ready' });
})();
