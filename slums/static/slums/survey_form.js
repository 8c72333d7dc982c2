// Live preview of the slum score while the facilitator types. Same rules as
// slums/scoring.py (percentage rounded to 2 decimals, then banded); the server
// recomputes everything on save and its result is the one that counts.
(function () {
  "use strict";
  var source = document.getElementById("scoring-data");
  var form = document.querySelector("[data-testid=survey-form]");
  if (!source || !form) { return; }
  var rules = JSON.parse(source.textContent);

  function number(input) {
    if (!input || input.value.trim() === "") { return null; }
    var value = Number(input.value.replace(",", "."));
    return isNaN(value) ? NaN : value;
  }
  function round2(value) { return Math.round((value + Number.EPSILON) * 100) / 100; }
  function band(value, bands) {
    for (var i = 0; i < bands.length; i++) { if (value >= bands[i][0]) { return bands[i][1]; } }
    return bands.length ? bands[bands.length - 1][1] : 0;
  }
  function header(name) { return number(form.querySelector("[data-header=" + name + "]")); }
  function show(selector, text) {
    var node = form.querySelector(selector);
    if (node) { node.textContent = text; }
  }

  function recompute() {
    var total = 0, aspects = {};
    rules.indicators.forEach(function (rule) {
      var volume = number(form.querySelector("[data-indicator='" + rule.code + "']"));
      var denominator = header(rule.denominator);
      var pct = 0, problem = "";
      if (volume !== null && (isNaN(volume) || volume < 0)) {
        problem = "!";
      } else if (volume > 0 && !denominator) {
        problem = "?";
      } else if (volume > 0 && volume > denominator) {
        problem = "> 100%";
      } else if (volume > 0) {
        pct = round2(volume * 100 / denominator);
      }
      var score = problem ? 0 : band(pct, rules.score_bands);
      show("[data-pct='" + rule.code + "']", problem || pct.toFixed(2) + "%");
      show("[data-score='" + rule.code + "']", String(score));
      var row = form.querySelector("[data-pct='" + rule.code + "']").closest(".indicator");
      row.classList.toggle("has-warning", Boolean(problem));
      total += score;
      (aspects[rule.aspect] = aspects[rule.aspect] || []).push(score);
    });
    Object.keys(aspects).forEach(function (aspect) {
      var scores = aspects[aspect];
      var sum = scores.reduce(function (a, b) { return a + b; }, 0);
      show("[data-aspect-avg='" + aspect + "']", (sum / scores.length).toFixed(2));
    });
    var level = band(total, rules.level_bands);
    show("#live-total", String(total));
    var badge = document.getElementById("live-level");
    badge.textContent = rules.level_labels[level] || level;
    badge.className = "badge level-" + level;
    badge.dataset.level = level;
  }

  form.addEventListener("input", recompute);
  recompute();
})();
