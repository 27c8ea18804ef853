/* Draws the exchange balance (works and hours each way per period) with Chart.js. The figures
   come from the page's <script type="application/json" id="balance-data"> block (json_script)
   and each chart's title from its canvas' data-title, so the page needs no inline script. */
(function () {
  var block = document.getElementById("balance-data");
  if (!block || !window.Chart) return;
  var d = JSON.parse(block.textContent);
  function draw(id, ab, ba) {
    var canvas = document.getElementById(id);
    new Chart(canvas, {type: "bar", data: {labels: d.labels, datasets: [
      {label: d.a + " → " + d.b, data: ab, backgroundColor: "#b3261e"},
      {label: d.b + " → " + d.a, data: ba, backgroundColor: "#2e7d32"}]},
      options: {plugins: {title: {display: true, text: canvas.dataset.title}}}});
  }
  draw("balance-works", d.works_ab, d.works_ba);
  draw("balance-hours", d.hours_ab, d.hours_ba);
})();
