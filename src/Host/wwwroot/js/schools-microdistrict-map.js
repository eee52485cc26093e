// Micro-district editor map: Leaflet + Leaflet-Geoman, no CDN, works without tiles (plain background).
(function () {
    'use strict';
    var el = document.getElementById('microdistrict-map');
    var dataEl = document.getElementById('microdistrict-map-data');
    if (!el || !dataEl || typeof L === 'undefined') {
        return;
    }

    var data = JSON.parse(dataEl.textContent);
    var map = L.map(el, { zoomSnap: 0.25 });
    if (data.tileUrl) {
        L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.tileAttribution || '' }).addTo(map);
    }

    var bounds = L.latLngBounds([]);
    if (data.outline) {
        var outline = L.polygon(data.outline, { color: '#495057', weight: 2, dashArray: '6 4', fill: false, interactive: false, pmIgnore: true, className: 'district-outline' });
        outline.addTo(map);
        bounds.extend(outline.getBounds());
    }

    data.others.forEach(function (p) {
        var layer = L.geoJSON(p.geoJson, { style: { color: '#6c757d', weight: 1, fillOpacity: 0.15, className: 'microdistrict-other' }, pmIgnore: true, interactive: false });
        layer.addTo(map);
        bounds.extend(layer.getBounds());
    });

    data.schools.forEach(function (s) {
        var own = s.code === data.schoolCode;
        L.circleMarker([s.lat, s.lon], {
            radius: own ? 8 : 5, color: own ? '#dc3545' : '#212529', weight: 2, fillOpacity: own ? 0.9 : 0.5,
            pmIgnore: true, className: own ? 'school-marker school-marker-own' : 'school-marker'
        }).bindTooltip(s.code + ' — ' + s.name).addTo(map);
        bounds.extend([s.lat, s.lon]);
    });

    var field = document.getElementById('geojson');
    var current = null;

    function sync() {
        if (field) {
            field.value = current ? JSON.stringify(current.toGeoJSON().geometry) : '';
        }
    }

    function setCurrent(layer) {
        if (current && current !== layer) {
            map.removeLayer(current);
        }

        current = layer;
        if (layer) {
            layer.setStyle({ color: '#0d6efd', weight: 3, fillOpacity: 0.25 });
            layer.on('pm:edit', sync);
            layer.on('pm:dragend', sync);
        }

        sync();
    }

    if (data.polygon) {
        var own = L.geoJSON(data.polygon, { style: { className: 'microdistrict-own' } }).getLayers()[0];
        if (own) {
            own.addTo(map);
            setCurrent(own);
            bounds.extend(own.getBounds());
        }
    }

    if (bounds.isValid()) {
        map.fitBounds(bounds.pad(0.05));
    } else {
        map.setView([data.center.lat, data.center.lon], 14);
    }

    if (data.canEdit && map.pm) {
        map.pm.addControls({
            position: 'topleft', drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawCircle: false,
            drawText: false, cutPolygon: false, rotateMode: false, drawRectangle: true, drawPolygon: true,
            editMode: true, dragMode: true, removalMode: true
        });
        map.pm.setGlobalOptions({ pathOptions: { className: 'microdistrict-own' } });
        map.on('pm:create', function (e) { setCurrent(e.layer); });
        map.on('pm:remove', function (e) {
            if (e.layer === current) {
                current = null;
                sync();
            }
        });
    }

    el.setAttribute('data-ready', 'true');
})();
