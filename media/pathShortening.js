// Path shortening for the checklist panel: the file name is always shown whole; directories are
// dropped from the middle ("packages/…/server/index.ts") until the path fits its box. Loaded by the
// webview before checklist.js, and by the unit tests through require().
(function (root) {
  /** Every way to show `path`, longest first: the first directory and the last ones kept, the middle elided. */
  function pathCandidates(path) {
    const parts = path.split('/');
    const name = parts.pop();
    const out = [path];
    for (let tail = parts.length - 2; tail >= 0; tail--) out.push([parts[0], '…', ...parts.slice(parts.length - tail), name].join('/'));
    if (parts.length) out.push(`…/${name}`);
    return out.filter((c, i) => out.indexOf(c) === i);
  }

  /** Shows in `el` the longest candidate that fits its width (the last one otherwise); the full path is its tooltip. */
  function fitPath(el, path) {
    el.title = path;
    for (const c of pathCandidates(path)) {
      el.textContent = c;
      if (el.scrollWidth <= el.clientWidth) return c;
    }
    return el.textContent;
  }

  const api = { pathCandidates, fitPath };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.seniorReviewPaths = api;
})(this);
