// kbgen: small progressive enhancements. The site works without this file.
// A "Copy" button on each error text, so readers can paste it into a ticket or a search.
(function () {
  'use strict';
  if (typeof document === 'undefined' || !navigator.clipboard) return;
  document.querySelectorAll('pre.error-text').forEach(function (pre) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-button';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy this error message');
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(pre.textContent).then(function () {
        button.textContent = 'Copied';
        setTimeout(function () { button.textContent = 'Copy'; }, 1500);
      }, function () {
        button.textContent = 'Copy failed';
      });
    });
    pre.parentNode.insertBefore(button, pre);
  });
})();
