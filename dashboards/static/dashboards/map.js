/* The dashboard map: works as points coloured by status, grouped on the server into
   clusters (the JSON endpoint takes the visible bbox and the zoom and is asked again
   after each move), and slum area outlines coloured by level. Clicking a work or an
   outline opens its page; clicking a cluster zooms in. Without tiles the points and
   outlines still draw, and the page gives the same counts as text. */
(function () {
  "use strict";
  var holder = document.getElementById("dash-map");
  if (!holder || typeof L === "undefined") { return; }
  var LEVELS = {
    berat: "#b42318", sedang: "#d97706", ringan: "#ca8a04", tidak_kumuh: "#15803d", none: "#6b7280"
  };
  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; OpenStreetMap contributors"
  }).addTo(map);
  var works = L.layerGroup().addTo(map);
  var latest = 0;

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function clusterMarker(feature, latlng) {
    var p = feature.properties;
    var size = p.count < 10 ? 30 : (p.count < 100 ? 36 : 44);
    var marker = L.marker(latlng, {
      icon: L.divIcon({
        className: "map-cluster map-status-" + p.status,
        html: "<span>" + Number(p.count) + "</span>",
        iconSize: [size, size]
      }),
      title: String(p.count),
      keyboard: true
    });
    marker.on("click", function () { map.setView(latlng, Math.min(map.getZoom() + 2, 18)); });
    return marker;
  }

  function workMarker(feature, latlng) {
    var p = feature.properties;
    var marker = L.marker(latlng, {
      icon: L.divIcon({ className: "map-work map-status-" + p.status, iconSize: [18, 18] }),
      title: p.name + " · " + p.status_label,
      alt: p.name,
      keyboard: true
    });
    marker.on("click", function () { window.location.href = p.url; });
    return marker;
  }

  function load() {
    var bounds = map.getBounds();
    var box = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (n) { return n.toFixed(5); }).join(",");
    var url = holder.dataset.worksUrl;
    url += (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + box + "&zoom=" + map.getZoom();
    var mine = ++latest;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (mine !== latest) { return; }  // a newer move has asked again
        works.clearLayers();
        data.features.forEach(function (feature) {
          var c = feature.geometry.coordinates, latlng = L.latLng(c[1], c[0]);
          works.addLayer(feature.properties.kind === "cluster"
            ? clusterMarker(feature, latlng) : workMarker(feature, latlng));
        });
        holder.dataset.ready = "1";
      });
  }

  function areas(fit) {
    fetch(holder.dataset.areasUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (feature) {
            return { color: LEVELS[feature.properties.level] || LEVELS.none, weight: 2, fillOpacity: 0.12 };
          },
          onEachFeature: function (feature, shape) {
            shape.bindTooltip(text(feature.properties.name));
            shape.on("click", function () { window.location.href = feature.properties.url; });
          }
        }).addTo(map);
        layer.bringToBack();
        if (fit && data.features.length) { map.fitBounds(layer.getBounds(), { padding: [16, 16] }); }
        holder.dataset.areasReady = "1";
      });
  }

  var box = (holder.dataset.bounds || "").split(",").map(parseFloat);
  if (box.length === 4 && !box.some(isNaN)) {
    map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: [24, 24], maxZoom: 16 });
  } else {
    map.setView([-2.5, 118.0], 5);
  }
  load();
  map.on("moveend", load);
  if (holder.dataset.areasUrl) { areas(!holder.dataset.bounds); }
})();
