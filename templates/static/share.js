// The share section's copy link becomes a button that copies the page's address. Without
// JavaScript it stays a plain link to the page (its address can be copied from it).
(function () {
  "use strict";
  document.querySelectorAll("a.share-copy").forEach(function (link) {
    if (!navigator.clipboard) return;
    var status = link.closest(".share").querySelector(".share-status");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "share-copy";
    button.textContent = link.dataset.label;
    button.addEventListener("click", function () {
      var address = link.href;
      navigator.clipboard.writeText(address).then(function () {
        status.textContent = link.dataset.copied;
      }, function () {
        status.textContent = link.dataset.failed + " " + address;
      });
    });
    link.replaceWith(button);
  });
})();
