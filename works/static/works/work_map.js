/* Work maps: show a work's point (#work-map) or pick one (#pick-map) by tapping the map
   or from the phone's location. The page works without this script and without tiles:
   the coordinates are plain fields and text. */
(function () {
  "use strict";
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION = "&copy; OpenStreetMap";
  var INDONESIA = [-2.5, 118.0];

  function tiles(map) {
    L.tileLayer(TILES, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);
  }

  function inIndonesia(lat, lon) {
    return lat >= -11.1 && lat <= 6.3 && lon >= 94.0 && lon <= 141.1;
  }

  function showPoint(element) {
    var lat = parseFloat(element.dataset.lat), lon = parseFloat(element.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) { return; }
    var map = L.map(element).setView([lat, lon], 17);
    tiles(map);
    L.circleMarker([lat, lon], { radius: 8 }).addTo(map);
  }

  function pickPoint(element) {
    var latInput = document.getElementById(element.dataset.latInput);
    var lonInput = document.getElementById(element.dataset.lonInput);
    var status = document.getElementById("location-status");
    var button = document.getElementById("use-location");
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    var has = !isNaN(lat) && !isNaN(lon);
    var map = L.map(element).setView(has ? [lat, lon] : INDONESIA, has ? 17 : 5);
    var marker = null;
    tiles(map);

    function place(newLat, newLon, zoom) {
      latInput.value = newLat.toFixed(6);
      lonInput.value = newLon.toFixed(6);
      if (marker) { marker.setLatLng([newLat, newLon]); }
      else { marker = L.circleMarker([newLat, newLon], { radius: 8 }).addTo(map); }
      if (zoom) { map.setView([newLat, newLon], zoom); }
    }
    if (has) { place(lat, lon); }
    map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng); });

    if (button && navigator.geolocation) {
      button.classList.remove("hidden-until-js");
      button.addEventListener("click", function () {
        status.textContent = button.dataset.waiting || "…";
        navigator.geolocation.getCurrentPosition(function (position) {
          var c = position.coords;
          if (!inIndonesia(c.latitude, c.longitude)) {
            status.textContent = "✗ " + c.latitude.toFixed(4) + ", " + c.longitude.toFixed(4);
            return;
          }
          place(c.latitude, c.longitude, 17);
          status.textContent = "✓ ±" + Math.round(c.accuracy) + " m";
        }, function (error) {
          status.textContent = "✗ " + error.message;
        }, { enableHighAccuracy: true, timeout: 20000 });
      });
    }
  }

  if (typeof L === "undefined") { return; }
  var shown = document.getElementById("work-map");
  if (shown) { showPoint(shown); }
  var picker = document.getElementById("pick-map");
  if (picker) { pickPoint(picker); }
})();
