// The live total of the scoring form: the sum of its score fields as the expert types.
(function () {
  var form = document.getElementById("scoring");
  if (!form) return;
  var output = document.getElementById("score-total");
  function update() {
    var total = 0;
    form.querySelectorAll("input.score").forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (!isNaN(n)) total += n;
    });
    output.textContent = String(total);
  }
  form.addEventListener("input", update);
  update();
})();
