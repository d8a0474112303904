// The consent sentence names every ticked list (consent is specific); the server builds the same
// sentence from the same parts, so what a person reads is what their consent records.
(function () {
  var names = document.getElementById('consent-lists');
  if (!names) return;
  var open = names.getAttribute('data-open');
  var close = names.getAttribute('data-close');
  var boxes = document.querySelectorAll('input[name="lists"]');
  // The server's "choose at least one list" stands only while no list is chosen.
  var listsError = document.getElementById('lists-error');
  function update() {
    var chosen = [];
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) chosen.push(open + boxes[i].getAttribute('data-name') + close);
    names.textContent = chosen.join(', ');
    if (listsError) listsError.hidden = chosen.length > 0;
  }
  for (var i = 0; i < boxes.length; i++) boxes[i].addEventListener('change', update);
})();
