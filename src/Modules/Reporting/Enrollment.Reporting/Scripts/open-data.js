// Draws every chart of a page (open data, reports, dashboard) from the JSON the server rendered into it: a
// <canvas data-chart="ID" data-chart-type="bar|line"> reads <script type="application/json" id="ID">. No inline script (CSP).
(function () {
    if (typeof Chart === 'undefined') return;
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
        var source = document.getElementById(canvas.getAttribute('data-chart'));
        if (!source) return;
        var data = JSON.parse(source.textContent || '{}');
        var stacked = canvas.getAttribute('data-chart-stacked') !== 'false';
        var chart = new Chart(canvas, {
            type: canvas.getAttribute('data-chart-type') || 'bar',
            data: { labels: data.labels || [], datasets: data.datasets || [] },
            options: {
                animation: false, responsive: true,
                plugins: { legend: { display: (data.datasets || []).some(function (d) { return d.label; }) } },
                scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } }
            }
        });
        canvas.setAttribute('data-drawn', String(chart.data.labels.length));
    });
})();
