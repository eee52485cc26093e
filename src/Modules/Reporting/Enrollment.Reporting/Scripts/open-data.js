// Draws the applications-per-day chart of /open-data from the JSON the server rendered into the page (no inline script: CSP).
(function () {
    var source = document.getElementById('daily-data');
    var canvas = document.getElementById('daily-chart');
    if (!source || !canvas || typeof Chart === 'undefined') return;
    var data = JSON.parse(source.textContent || '{}');
    var chart = new Chart(canvas, {
        type: 'bar',
        data: { labels: data.labels || [], datasets: data.datasets || [] },
        options: { animation: false, responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
    });
    canvas.setAttribute('data-drawn', String(chart.data.labels.length));
})();
