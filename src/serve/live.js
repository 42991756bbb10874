// kbgen serve: live reload. Injected into pages at serve time only, never written
// into the built site. Text from diagnostics is only ever set as textContent.
(function () {
  'use strict';
  var script = document.currentScript;
  var generation = script ? script.getAttribute('data-generation') : null;
  var scrollKey = 'kbgen-live-scroll:' + location.pathname;
  var overlay = null;

  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      var xy = JSON.parse(saved);
      // The browser's own restoration on reload would race ours (and may move by a
      // layout change above the fold): this page puts the reader back itself.
      if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
      var restore = function () { window.scrollTo(xy[0], xy[1]); };
      if (document.readyState === 'complete') restore();
      else {
        document.addEventListener('DOMContentLoaded', restore);
        window.addEventListener('load', restore);
      }
    }
  } catch (e) { /* storage may be disabled; reloading still works */ }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) { /* ignore */ }
    location.reload();
  }

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function location_of(d) {
    var where = d.path || '';
    if (d.line) where += ':' + d.line + (d.column ? ':' + d.column : '');
    return where;
  }

  function showErrors(report) {
    hideErrors();
    var diags = (report && report.diagnostics) || [];
    overlay = el('div');
    overlay.id = 'kbgen-live-overlay';
    overlay.setAttribute('role', 'alert');
    var s = overlay.style;
    s.position = 'fixed'; s.left = '0'; s.right = '0'; s.top = '0';
    s.maxHeight = '70vh'; s.overflow = 'auto'; s.zIndex = '2147483647';
    s.background = '#1e1e1e'; s.color = '#f4f4f4'; s.padding = '1rem 1.25rem';
    s.font = '14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    s.borderBottom = '4px solid #e5484d'; s.boxShadow = '0 4px 16px rgba(0,0,0,.4)';
    var head = el('strong', 'Build failed (' + diags.length + ' problem' +
      (diags.length === 1 ? '' : 's') + '). The last good page is shown below; save a fix to clear this.');
    head.style.display = 'block'; head.style.marginBottom = '.5rem';
    overlay.appendChild(head);
    var list = el('ol');
    list.style.margin = '0'; list.style.paddingLeft = '1.25rem';
    diags.forEach(function (d) {
      var item = el('li');
      item.className = 'kbgen-live-diagnostic';
      item.style.marginBottom = '.5rem';
      var where = el('span', location_of(d));
      where.className = 'kbgen-live-location';
      where.style.color = '#9cdcfe';
      item.appendChild(where);
      item.appendChild(document.createTextNode(': ' + (d.severity || 'error') +
        (d.code ? '[' + d.code + ']' : '') + ': '));
      var msg = el('span', d.message || '');
      msg.className = 'kbgen-live-message';
      item.appendChild(msg);
      if (d.hint) {
        var hint = el('div', 'hint: ' + d.hint);
        hint.style.color = '#c5c5c5';
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    overlay.appendChild(list);
    var close = el('button', 'Dismiss');
    close.type = 'button';
    close.style.marginTop = '.5rem';
    close.addEventListener('click', hideErrors);
    overlay.appendChild(close);
    (document.body || document.documentElement).appendChild(overlay);
  }

  function hideErrors() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
  }

  if (typeof EventSource === 'undefined') return;
  var url = '/_live' + (generation ? '?gen=' + encodeURIComponent(generation) : '');
  var source = new EventSource(url);
  // Marks the page as listening (tools and tests wait for it).
  source.addEventListener('open', function () {
    document.documentElement.setAttribute('data-kbgen-live', 'open');
  });
  source.addEventListener('reload', function () {
    source.close();
    reload();
  });
  source.addEventListener('error', function (event) {
    // A MessageEvent carries diagnostics; a plain Event is a dropped connection,
    // which EventSource retries on its own.
    if (typeof event.data !== 'string') return;
    try { showErrors(JSON.parse(event.data)); } catch (e) { /* ignore malformed */ }
  });
  window.addEventListener('pagehide', function () { source.close(); });
})();
