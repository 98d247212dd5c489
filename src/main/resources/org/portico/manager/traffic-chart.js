/*
 * The balancer-manager's live picture: redraws the server-drawn charts (svg.chart) from the traffic JSON
 * every sampling interval. Served by the manager at /balancer-manager/traffic-chart.js and loaded under
 * the page's Content-Security-Policy nonce. Everything it needs is on the page: the JSON's URL, the
 * interval and the members' colours on <body> (data-traffic, data-interval, data-colors), and each
 * chart's plot area as its <rect>.
 */
(function () {
  'use strict';
  var body = document.body;
  var url = body.getAttribute('data-traffic');
  var every = Math.max(100, Number(body.getAttribute('data-interval')) * 1000);
  var colors = body.getAttribute('data-colors').split(' ');

  /** The chart's top: 1, 2 or 5 times a power of ten, at least 1 (as TrafficChart.niceMax). */
  function nice(m) {
    if (m <= 1) {
      return 1;
    }
    var p = Math.pow(10, Math.floor(Math.log10(m)));
    var f = [1, 2, 5, 10];
    for (var i = 0; i < f.length; i++) {
      if (f[i] * p >= m) {
        return f[i] * p;
      }
    }
    return 10 * p;
  }

  function find(list, test) {
    return Array.prototype.find.call(list, test);
  }

  function drawChart(svg, workers, series, capacity) {
    var area = svg.querySelector('rect');
    var x0 = Number(area.getAttribute('x'));
    var y0 = Number(area.getAttribute('y'));
    var w = Number(area.getAttribute('width'));
    var h = Number(area.getAttribute('height'));
    var max = 0;
    workers.forEach(function (worker) {
      worker[series].forEach(function (v) {
        max = Math.max(max, v);
      });
    });
    max = nice(max);
    svg.querySelector('.max').textContent = max + ' /s';
    workers.forEach(function (worker, i) {
      var line = find(svg.querySelectorAll('polyline'), function (p) {
        return p.getAttribute('data-worker') === worker.name;
      });
      if (!line) {
        line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
        line.setAttribute('fill', 'none');
        line.setAttribute('stroke', colors[i % colors.length]);
        line.setAttribute('stroke-width', '1.5');
        line.setAttribute('data-worker', worker.name);
        svg.appendChild(line);
      }
      var values = worker[series];
      var k = values.length;
      line.setAttribute('points', values.map(function (y, j) {
        return (x0 + w * (capacity - k + j) / (capacity - 1)).toFixed(1) + ',' + (y0 + h - y / max * h).toFixed(1);
      }).join(' '));
    });
  }

  function draw(doc) {
    doc.balancers.forEach(function (b) {
      ['rps', 'eps'].forEach(function (series) {
        var svg = find(document.querySelectorAll('svg.chart'), function (s) {
          return s.getAttribute('data-balancer') === b.name && s.getAttribute('data-series') === series;
        });
        if (svg) {
          drawChart(svg, b.workers, series, doc.capacity);
        }
      });
    });
    body.setAttribute('data-redrawn', String(Date.now()));
  }

  function tick() {
    fetch(url, {credentials: 'same-origin', cache: 'no-store', headers: {'Accept': 'application/json'}})
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (d) {
        if (d) {
          draw(d);
        }
      })
      .catch(function () {
        // a missed sample: the next tick tries again
      })
      .then(function () {
        setTimeout(tick, every);
      });
  }

  setTimeout(tick, every);
}());
