/* Switches the organisation as soon as another one is chosen in the top bar (without JavaScript
   the form shows its Switch button). A file rather than an onchange="" attribute, because the
   Content-Security-Policy runs no inline script. */
(function () {
  var select = document.querySelector("#org-switcher select");
  if (select) select.addEventListener("change", function () { select.form.submit(); });
})();
