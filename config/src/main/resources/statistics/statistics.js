// The open statistics page: asks the bus's own API (same origin, no key) and draws with ECharts from the bus's WebJar.
// Text from the answers is only ever set as textContent, never as HTML.
(function () {
    'use strict';
    var WITHHELD = 'disembunyikan / withheld';
    var form = document.getElementById('query');
    var message = document.getElementById('message');
    var byMonth = echarts.init(document.getElementById('by-month'), null, {renderer: 'canvas'});
    var byRegion = echarts.init(document.getElementById('by-region'), null, {renderer: 'canvas'});

    function pad(n) { return (n < 10 ? '0' : '') + n; }

    function range(year) {
        var now = new Date();
        var last = year < now.getFullYear() ? 12 : now.getMonth() + 1;
        return {from: year + '-01', to: year + '-' + pad(last)};
    }

    function ask(params) {
        var query = new URLSearchParams(params).toString();
        return fetch('/api/v1/statistics/events?' + query, {headers: {'Accept': 'application/json',
            'Accept-Language': 'id, en;q=0.5'}})
            .then(function (response) {
                return response.json().then(function (body) {
                    if (!response.ok) { throw new Error(body.title + (body.detail ? ': ' + body.detail : '')); }
                    return body;
                });
            });
    }

    function chart(target, table, labelOf) {
        target.setOption({
            tooltip: {trigger: 'axis'},
            grid: {left: 60, right: 20, bottom: 80},
            xAxis: {type: 'category', data: table.cells.map(labelOf), axisLabel: {rotate: 45}},
            yAxis: {type: 'value', minInterval: 1},
            series: [{type: 'bar', name: table.type,
                // A withheld count is a gap, never a zero.
                data: table.cells.map(function (c) { return c.suppressed ? null : c.count; })}]
        }, true);
    }

    function figures(table) {
        var body = document.querySelector('#figures tbody');
        body.replaceChildren();
        table.cells.concat([table.total]).forEach(function (cell) {
            var row = document.createElement('tr');
            var key = document.createElement('td');
            key.textContent = cell.key === 'TOTAL' ? 'Total' : cell.key;
            var count = document.createElement('td');
            count.textContent = cell.suppressed ? WITHHELD : String(cell.count);
            if (cell.suppressed) { count.className = 'withheld'; }
            row.dataset.key = cell.key;
            row.append(key, count);
            body.append(row);
        });
    }

    function show() {
        var data = new FormData(form);
        var region = String(data.get('region') || '').trim();
        var year = parseInt(data.get('year'), 10);
        var months = range(year);
        var params = {type: data.get('type'), region: region, from: months.from, to: months.to};
        document.body.dataset.state = 'loading';
        message.textContent = '';
        message.className = '';
        var wanted = [ask(Object.assign({groupBy: 'month'}, params))];
        var regionWise = region.length !== 4;
        document.getElementById('by-region-section').hidden = !regionWise;
        if (regionWise) { wanted.push(ask(Object.assign({groupBy: 'region'}, params))); }
        Promise.all(wanted).then(function (tables) {
            var monthly = tables[0];
            document.getElementById('k').textContent = String(monthly.minimumCount);
            document.getElementById('by-month-title').firstChild.textContent = 'Per bulan, ' + monthly.regionName + ' ';
            chart(byMonth, monthly, function (c) { return c.key; });
            figures(monthly);
            if (regionWise) {
                document.getElementById('by-region-title').firstChild.textContent = 'Per wilayah, '
                    + monthly.regionName + ' ';
                chart(byRegion, tables[1], function (c) { return c.name || c.key; });
            }
            document.body.dataset.state = 'ready';
        }).catch(function (error) {
            message.textContent = error.message;
            message.className = 'error';
            document.body.dataset.state = 'error';
        });
    }

    var given = new URLSearchParams(window.location.search);
    form.elements.type.value = given.get('type') || 'BirthRegistered';
    form.elements.region.value = given.get('region') || '';
    form.elements.year.value = given.get('year') || String(new Date().getFullYear());
    form.addEventListener('submit', function (event) { event.preventDefault(); show(); });
    window.addEventListener('resize', function () { byMonth.resize(); byRegion.resize(); });
    show();
}());
