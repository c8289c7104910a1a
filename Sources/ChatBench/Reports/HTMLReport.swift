import Foundation

/// `report.html`: one self-contained page (inline CSS and SVG; no scripts, fonts or anything else
/// from the network) with the headline numbers, latency distributions, latency over the run,
/// outcomes and finish reasons, stream vs non-stream side by side, a per-prompt table and the
/// first failures. A pure function of the manifest and the results, and well-formed XML, so it can
/// be checked by parsing and rebuilt byte for byte by `chatbench report`.
public enum HTMLReport {
    public static func render<R: MeasuredRequest>(manifest: RunManifest, results: [R]) -> String {
        render(SummaryDocument(manifest: manifest, results: results), results: results)
    }

    /// From an already computed document (what a run and `chatbench report` do).
    public static func render<R: MeasuredRequest>(_ document: SummaryDocument, results allResults: [R]) -> String {
        let manifest = document.manifest
        // Warmup requests are in results.jsonl but in no figure.
        let results = allResults.contains(where: \.isWarmup) ? allResults.filter { !$0.isWarmup } : allResults
        let modes = RequestMode.allCases.filter { mode in results.contains { $0.mode == mode } }
        var html = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        html += "<title>chatbench: \(escapeXML(manifest.promptSetPath)) — \(escapeXML(manifest.model ?? "-"))</title>\n"
        html += "<style>\(css)</style>\n</head>\n<body>\n"
        html += "<h1>chatbench report <span class=\"sub\">\(escapeXML(manifest.promptSetPath))</span></h1>\n"
        html += manifestTable(manifest)
        html += headline(document, modes: modes)

        html += "<h2>Latency distributions</h2>\n<div class=\"charts\">\n"
        let cdfs: [SVGChart?] = [
            ReportCharts.cdfChart(title: "Time to first token", axis: "TTFT (ms)", results: results, modes: modes, value: { $0.ttftMs }),
            ReportCharts.cdfChart(title: "End-to-end latency", axis: "E2E (ms)", results: results, modes: modes, value: { $0.e2eMs }),
            ReportCharts.cdfChart(title: "Decode speed", axis: "decode (tokens/s)", results: results, modes: modes, value: { $0.decodeTps }),
            itlChart(results, stream: document.modes[RequestMode.stream.rawValue]),
        ]
        let drawn = cdfs.compactMap { $0 }
        if drawn.isEmpty { html += "<p class=\"empty\">No successful requests: nothing to draw.</p>\n" }
        for chart in drawn { html += "<figure>\(chart.render())</figure>\n" }
        html += "</div>\n"
        html += "<p class=\"note\">Each line is a cumulative distribution over successful requests: read the share of requests (y) that were at or below a value (x). Failed requests are counted below, never in latencies.</p>\n"

        html += "<h2>Over the run</h2>\n<div class=\"charts\"><figure class=\"wide\">\(ReportCharts.overTime(results: results, modes: modes).render())</figure></div>\n"

        if let levels = document.sweep {
            let charts = ReportCharts.sweepCharts(levels)
            if !charts.isEmpty {
                html += "<h2>Sweep</h2>\n<div class=\"charts\">\n"
                for chart in charts { html += "<figure>\(chart.render())</figure>\n" }
                html += "</div>\n"
            }
        }
        if modes.count > 1 { html += comparison(document) }
        html += outcomes(document, modes: modes)
        html += perPrompt(results)
        html += failures(results)
        html += "<footer>chatbench \(escapeXML(manifest.toolVersion)) · started \(escapeXML(manifest.startedAt)) · all times in milliseconds from each request's start, on a monotonic clock · percentiles exact (linear interpolation)</footer>\n"
        html += "</body>\n</html>\n"
        return html
    }

    /// Pooled inter-token gaps of successful streams; nil when there are none.
    static func itlChart<R: MeasuredRequest>(_ results: [R], stream: Summary?) -> SVGChart? {
        guard let d = stream?.itlMs, d.n > 0 else { return nil }
        // Every gap when there are few; else every k-th gap, in run order (a million requests of
        // fifty tokens are fifty million gaps: no screen shows more than a thousand steps).
        let step = max(1, d.n / 200_000)
        var gaps: [Double] = []
        var seen = 0
        results.withUnsafeBufferPointer { all in
            for i in all.indices where all[i].mode == .stream && all[i].outcome == .ok {
                for gap in all[i].itlMs {
                    if seen % step == 0 { gaps.append(gap) }
                    seen += 1
                }
            }
        }
        let name = "stream: p50 \(ConsoleReport.oneDecimal(d.p50)), p99 \(ConsoleReport.oneDecimal(d.p99)), n \(d.n)"
        return SVGChart(title: "Inter-token latency (every gap)", x: ChartAxis(label: "gap between tokens (ms)", includeZero: false),
                        y: ChartAxis(label: "gaps at or below (%)", fixed: 0...100),
                        series: [ChartSeries(name: name, points: ReportCharts.cdf(gaps), colour: ReportCharts.colour(.stream))])
    }

    static func manifestTable(_ m: RunManifest) -> String {
        var rows: [(String, String)] = [
            ("target", m.targetURL + (m.mock ? " (mock)" : "")),
            ("model", m.model ?? "-"),
            ("started", m.startedAt),
            ("prompt set", "\(m.promptSetPath) · \(m.promptCount) prompts · sha256 \(m.promptSetSHA256.prefix(12))"),
            ("load", "\(m.modes.joined(separator: ", ")) · concurrency \(m.concurrency) (max in flight \(m.maxInFlight)) · \(m.requests) requests planned"),
            ("host", "\(m.host.hostname) · \(m.host.os) · \(m.host.cpuCount) CPUs"),
        ]
        if let shard = m.shard { rows.append(("shard", "\(shard) (a slice of a distributed run; merge the shards with chatbench merge)")) }
        if let merged = m.mergedShards { rows.append(("merged", "from \(merged) shards")) }
        if !m.options.isEmpty {
            rows.append(("options", m.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
        }
        var html = "<table class=\"manifest\">\n"
        if m.interrupted { html += "<tr class=\"warn\"><th>interrupted</th><td>the run was stopped early: partial results</td></tr>\n" }
        for (key, value) in rows { html += "<tr><th>\(escapeXML(key))</th><td>\(escapeXML(value))</td></tr>\n" }
        return html + "</table>\n"
    }

    static func headline(_ document: SummaryDocument, modes: [RequestMode]) -> String {
        let overall = document.overall
        let ok = overall.countsByOutcome[Outcome.ok.rawValue] ?? 0
        var cards: [(String, String, String)] = [
            ("requests", "\(overall.requests)", "\(ok) ok · \(overall.requests - ok) failed"),
            ("error rate", overall.errorRate.map { String(format: "%.1f %%", $0 * 100) } ?? "-", "non-ok / all"),
        ]
        if modes.contains(.stream) {
            let s = document.modes[RequestMode.stream.rawValue] ?? overall
            cards.append(("TTFT p50", ms(s.ttftMs.p50), "p95 \(ms(s.ttftMs.p95)) · p99 \(ms(s.ttftMs.p99))"))
            cards.append(("decode p50", rate(s.decodeTps.p50, "tok/s"), "inter-token p50 \(ms(s.itlMs.p50))"))
        }
        for mode in modes {
            let s = document.modes[mode.rawValue] ?? overall
            cards.append(("E2E p50 · \(mode.rawValue)", ms(s.e2eMs.p50), "p95 \(ms(s.e2eMs.p95)) · p99 \(ms(s.e2eMs.p99))"))
        }
        cards.append(("output tokens/s", rate(overall.outputTokensPerS, ""), "\(rate(overall.requestsPerS, "req/s")) over \(String(format: "%.1f", overall.durationS)) s"))
        var html = "<div class=\"cards\">\n"
        for (label, value, detail) in cards {
            html += "<div class=\"card\"><div class=\"label\">\(escapeXML(label))</div><div class=\"value\">\(escapeXML(value))</div><div class=\"detail\">\(escapeXML(detail))</div></div>\n"
        }
        return html + "</div>\n"
    }

    /// Stream vs non-stream, metric by metric, with the difference.
    static func comparison(_ document: SummaryDocument) -> String {
        guard let s = document.modes[RequestMode.stream.rawValue], let n = document.modes[RequestMode.nonStream.rawValue] else { return "" }
        let rows: [(String, Double?, Double?)] = [
            ("E2E p50 (ms)", s.e2eMs.p50, n.e2eMs.p50), ("E2E p95 (ms)", s.e2eMs.p95, n.e2eMs.p95), ("E2E p99 (ms)", s.e2eMs.p99, n.e2eMs.p99),
            ("TTFB p50 (ms)", s.ttfbMs.p50, n.ttfbMs.p50), ("completion tokens (mean)", s.completionTokens.mean, n.completionTokens.mean),
            ("E2E tokens/s p50", s.e2eTps.p50, n.e2eTps.p50), ("output tokens/s (run)", s.outputTokensPerS, n.outputTokensPerS),
            ("error rate (%)", s.errorRate.map { $0 * 100 }, n.errorRate.map { $0 * 100 }),
        ]
        var html = "<h2>Stream vs non-stream</h2>\n<table class=\"numbers\">\n<tr><th>metric</th><th>stream</th><th>non-stream</th><th>non-stream − stream</th></tr>\n"
        for (name, a, b) in rows {
            let delta = (a != nil && b != nil) ? ConsoleReport.oneDecimal(b! - a!) : "-"
            html += "<tr><td>\(escapeXML(name))</td><td>\(ConsoleReport.oneDecimal(a))</td><td>\(ConsoleReport.oneDecimal(b))</td><td>\(escapeXML(delta))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    static func outcomes(_ document: SummaryDocument, modes: [RequestMode]) -> String {
        var html = "<h2>Outcomes and finish reasons</h2>\n<div class=\"tables\">\n"
        for mode in modes {
            guard let s = document.modes[mode.rawValue] else { continue }
            let total = max(1, s.requests)
            html += "<table class=\"counts\">\n<caption>\(escapeXML(mode.rawValue)): \(s.requests) requests</caption>\n<tr><th>outcome</th><th>count</th><th></th></tr>\n"
            for outcome in Outcome.allCases {
                let count = s.countsByOutcome[outcome.rawValue] ?? 0
                guard count > 0 else { continue }
                html += "<tr><td>\(escapeXML(outcome.rawValue))</td><td>\(count)</td><td>\(bar(count, of: total, failed: outcome != .ok))</td></tr>\n"
            }
            html += "<tr><th>finish_reason (ok)</th><th>count</th><th></th></tr>\n"
            for (reason, count) in s.countsByFinishReason.sorted(by: { $0.key < $1.key }) {
                html += "<tr><td>\(escapeXML(reason))</td><td>\(count)</td><td>\(bar(count, of: total, failed: reason != "stop"))</td></tr>\n"
            }
            if (s.tokenSource[TokenSource.chunks.rawValue] ?? 0) > 0 {
                html += "<tr><td colspan=\"3\" class=\"note\">completion tokens estimated from chunks: the server sent no usage</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html + "</div>\n"
    }

    static func bar(_ count: Int, of total: Int, failed: Bool) -> String {
        let percent = Double(count) / Double(total) * 100
        return "<span class=\"bar\(failed ? " failed" : "")\" style=\"width:\(String(format: "%.1f", percent))%\"></span>"
    }

    /// At most this many prompt rows: a prompt set of a million lines needs a spreadsheet, not a page.
    static let perPromptLimit = 1000

    static func perPrompt<R: MeasuredRequest>(_ results: [R]) -> String {
        // Groups in order of each prompt's first request (lowest index), without sorting the rows.
        var groups: [PromptModeKey: (first: Int, members: [Int])] = [:]
        results.withUnsafeBufferPointer { all in
            for position in all.indices {
                let key = PromptModeKey(prompt: all[position].id, mode: all[position].mode)
                let index = all[position].index
                groups[key, default: (index, [])].members.append(position)
                if index < groups[key]!.first { groups[key]!.first = index }
            }
        }
        let order = groups.sorted { ($0.value.first, $0.key.mode.rawValue) < ($1.value.first, $1.key.mode.rawValue) }
        var html = "<h2>Per prompt</h2>\n"
        if order.count > perPromptLimit {
            html += "<p class=\"note\">\(order.count) prompt and mode pairs; the first \(perPromptLimit) are shown (results.csv has every request).</p>\n"
        }
        html += "<table class=\"numbers prompts\">\n<tr><th>prompt</th><th>mode</th><th>requests</th><th>ok</th><th>TTFT p50 (ms)</th><th>E2E p50 (ms)</th><th>E2E max (ms)</th><th>tokens p50</th><th>finish_reason</th><th>first failure</th></tr>\n"
        for (key, group) in order.prefix(perPromptLimit) {
            // Members in index order, so "first failure" is the earliest; read in place, not copied.
            let members = group.members.sorted { results[$0].index < results[$1].index }
            let ok = members.filter { results[$0].outcome == .ok }
            var reasons: [String: Int] = [:]
            for i in ok { reasons[results[i].finishReason, default: 0] += 1 }
            let reasonText = reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let failure = members.first { results[$0].outcome != .ok }.map { "\(results[$0].outcome.rawValue): \((results[$0].error ?? "").prefix(120))" } ?? ""
            let e2e = Distribution(ok.compactMap { results[$0].e2eMs })
            html += "<tr\(ok.count < members.count ? " class=\"failed\"" : "")><td>\(escapeXML(key.prompt))</td><td>\(escapeXML(key.mode.rawValue))</td><td>\(members.count)</td><td>\(ok.count)</td>"
            html += "<td>\(ConsoleReport.oneDecimal(Distribution(ok.compactMap { results[$0].ttftMs }).p50))</td><td>\(ConsoleReport.oneDecimal(e2e.p50))</td><td>\(ConsoleReport.oneDecimal(e2e.max))</td>"
            html += "<td>\(ConsoleReport.oneDecimal(Distribution(ok.compactMap { results[$0].completionTokens.map(Double.init) }).p50))</td>"
            html += "<td>\(escapeXML(reasonText))</td><td class=\"error\">\(escapeXML(failure))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    static func failures<R: MeasuredRequest>(_ results: [R]) -> String {
        var failedCount = 0
        var shown: [R] = []
        for i in results.indices where results[i].outcome != .ok {
            failedCount += 1
            shown.append(results[i])
            // Keep only the 20 earliest by index, without holding every failure.
            if shown.count > 40 {
                shown.sort { $0.index < $1.index }
                shown.removeLast(shown.count - 20)
            }
        }
        guard failedCount > 0 else { return "" }
        shown.sort { $0.index < $1.index }
        shown = Array(shown.prefix(20))
        var html = "<h2>Failed requests (\(failedCount)\(failedCount > shown.count ? ", first \(shown.count) shown" : ""))</h2>\n<table class=\"failures\">\n<tr><th>#</th><th>prompt</th><th>mode</th><th>outcome</th><th>status</th><th>at (s)</th><th>error</th></tr>\n"
        for r in shown {
            html += "<tr><td>\(r.index)</td><td>\(escapeXML(r.id))</td><td>\(escapeXML(r.mode.rawValue))</td><td>\(escapeXML(r.outcome.rawValue))</td>"
            html += "<td>\(r.status.map(String.init) ?? "-")</td><td>\(String(format: "%.2f", r.startOffsetMs / 1000))</td><td class=\"error\">\(escapeXML(r.error ?? ""))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    static func ms(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: value < 100 ? "%.1f ms" : "%.0f ms", value)
    }

    static func rate(_ value: Double?, _ unit: String) -> String {
        guard let value, value.isFinite else { return "-" }
        let text = String(format: value < 100 ? "%.1f" : "%.0f", value)
        return unit.isEmpty ? text : "\(text) \(unit)"
    }

    // No `<` or `&` in here: the page must stay well-formed XML.
    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222;background:#fff}
        h1{font-size:22px;margin:0 0 12px}h1 .sub{font-weight:400;color:#666;font-size:16px;margin-left:8px}
        h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{padding:3px 10px;text-align:left;vertical-align:top}
        table.manifest th{color:#666;font-weight:500;white-space:nowrap}table.manifest td{word-break:break-all}
        tr.warn th,tr.warn td{color:#b00;font-weight:600}
        table.numbers td,table.counts td{border-top:1px solid #eee}table.numbers td:nth-child(n+3){text-align:right;font-variant-numeric:tabular-nums}
        table.numbers tr:first-child th{border-bottom:1px solid #ccc}
        table.prompts td:nth-child(2){text-align:left;white-space:nowrap}table.prompts td:nth-child(9),table.prompts td:nth-child(10){text-align:left}
        tr.failed td:first-child{color:#b00}td.error{color:#b00;max-width:420px;overflow-wrap:anywhere}
        .cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:150px}
        .card .label{font-size:12px;color:#666}.card .value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}.card .detail{font-size:12px;color:#555}
        .charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #eee;border-radius:6px;padding:6px}
        figure svg{max-width:100%;height:auto}
        .tables{display:flex;flex-wrap:wrap;gap:32px}caption{text-align:left;font-weight:600;padding:4px 0}
        .bar{display:inline-block;height:10px;background:#009E73;min-width:2px;vertical-align:middle}.bar.failed{background:#D55E00}
        table.counts td:nth-child(3){width:200px}table.counts td:nth-child(2){text-align:right}
        .note{color:#666;font-size:12px}.empty{color:#888}footer{margin-top:32px;color:#888;font-size:12px}
        """
}
