// Draws the slum area outline (from json_script "slum-outline") on a Leaflet map.
// The outline draws even when OpenStreetMap tiles cannot load.
(function () {
  "use strict";
  var holder = document.getElementById("slum-map");
  var source = document.getElementById("slum-outline");
  if (!holder || !source || typeof L === "undefined") { return; }
  var outline = JSON.parse(source.textContent);
  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; OpenStreetMap contributors"
  }).addTo(map);
  var layer = L.geoJSON(outline, { style: { color: "#b42318", weight: 2, fillOpacity: 0.25 } });
  layer.addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [16, 16] });
  holder.dataset.ready = "1";
})();
