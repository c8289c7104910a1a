import Foundation
import Testing

@testable import ChatBench

/// The report pipeline for long runs: compact rows instead of full records, exact statistics by
/// selection, results.csv written as bytes, results.jsonl streamed in blocks. Each must give
/// exactly what the simple version gave.
@Suite struct CompactReportTests {
    @Test func selectedPercentilesEqualThoseOfASortedCopy() {
        var random = SeededRandom(seed: 7)
        for size in Array(1...64) + [100, 257, 1000, 4099] {
            for distinct in [2, 10, 1_000_000] {
                // Few distinct values stress partitioning around runs of equal values.
                let samples = (0..<size).map { _ in Double(random.next() % UInt64(distinct)) * 0.25 - 3 }
                let d = Distribution(samples)
                let sorted = samples.sorted()
                #expect(d.n == size)
                #expect(d.min == sorted.first)
                #expect(d.max == sorted.last)
                #expect(d.p50 == Distribution.percentile(sorted: sorted, 0.50), "size \(size)")
                #expect(d.p90 == Distribution.percentile(sorted: sorted, 0.90), "size \(size)")
                #expect(d.p95 == Distribution.percentile(sorted: sorted, 0.95), "size \(size)")
                #expect(d.p99 == Distribution.percentile(sorted: sorted, 0.99), "size \(size)")
            }
        }
    }

    @Test func meanIsExactAndTheSameInAnyOrder() {
        // A naive left-to-right sum gives 0 here; the exact sum is 1.
        #expect(Distribution([1e16, 1, -1e16]).mean == 1.0 / 3)
        var random = SeededRandom(seed: 3)
        let samples = (0..<5000).map { _ in Double(random.next() % 1_000_000) / 997 }
        let mean = Distribution(samples).mean
        for seed in 1...5 {
            var shuffler = SeededRandom(seed: UInt64(seed))
            var shuffled = samples
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, Int(shuffler.next() % UInt64(i + 1))) }
            #expect(shuffled != samples)
            #expect(Distribution(shuffled).mean == mean)
        }
        #expect(Distribution([0.1, 0.2, 0.3]).mean == 0.6 / 3)
    }

    @Test func fixedPointFieldsMatchPrintfByteForByte() {
        var values: [Double] = [0, -0.0, 0.0005, 0.0015, 0.0025, -0.0005, -0.0004, 1.0005, 2.5e-4, 123.4565, 1e14, 1e15, 1e16, 9.9995, 0.9995, -12.3456]
        for k in 0..<3000 { values.append(Double(k) + 0.0005) }  // decimal ties, none exact in binary
        for k in 0..<3000 { values.append(Double(k) / 8 + 1.0 / 2048) }  // exact binary ties
        var random = SeededRandom(seed: 11)
        for _ in 0..<20_000 {
            let magnitude = pow(10, Double(random.next() % 14) - 4)
            values.append((Double(random.next() % 1_000_000_007) / 1_000_000_007 - 0.3) * magnitude)
        }
        for value in values {
            var bytes: [UInt8] = []
            CSVReport.appendFixed(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(format: "%.3f", value), "value \(value)")
        }
    }

    @Test func rowsSummariseAndReportExactlyAsRecords() {
        var (manifest, results) = fixedReportInput()
        // Cover the fields rows pack into flags and sentinels.
        results[0].warmup = true
        results[2].reasoning = "thinking"
        results[2].answer = ""
        results[3].coldStart = true
        results[3].serverLoadMs = 1200
        results[4].buffered = true
        results[6].tokenSource = .chunks
        results[8].attempts = 3
        results[10].sweepLevel = "concurrency=2"
        results[12].temperature = 0
        let rows = results.map { ResultRow($0) }
        for (row, record) in zip(rows, results) { #expect(ResultRow(row) == ResultRow(record)) }
        let fromRecords = SummaryDocument(manifest: manifest, results: results)
        let fromRows = SummaryDocument(manifest: manifest, results: rows)
        #expect(fromRows == fromRecords)
        #expect(fromRows.overall.reasoningWithoutAnswer == 1)
        #expect(fromRows.overall.coldStarts == 1)
        #expect(HTMLReport.render(manifest: manifest, results: rows) == HTMLReport.render(manifest: manifest, results: results))
        #expect(MarkdownReport.render(manifest: manifest, results: rows) == MarkdownReport.render(manifest: manifest, results: results))
        manifest.interrupted = true
        #expect(ConsoleReport.render(manifest: manifest, results: rows, outDir: "x") == ConsoleReport.render(manifest: manifest, results: results, outDir: "x"))
    }

    @Test func accumulatorKeepsOnlyTheEarliestTemperatureZeroAnswerPerPrompt() throws {
        var results: [RequestResult] = []
        for (index, repetition) in [(5, 1), (1, 0), (9, 2), (3, 0)] {
            var r = RequestResult(id: "p", index: index, repetition: repetition, mode: .stream)
            r.temperature = 0
            r.answer = "answer \(index)"
            results.append(r)
        }
        var hot = RequestResult(id: "q", index: 2, repetition: 0, mode: .stream)
        hot.answer = "no temperature given"
        results.append(hot)
        var accumulator = try ReportAccumulator(csvPath: nil)
        for r in results { try accumulator.add(r) }
        let rows = try accumulator.finish()
        #expect(rows.map(\.answer) == ["", "answer 1", "", "", ""])
        // What the baseline comparison reads from rows is what it reads from the full records.
        var changed = results
        changed[1].answer = "a different answer"
        let fromRecords = BaselineComparison.compare(base: results, new: changed)
        let fromRows = BaselineComparison.compare(base: rows, new: changed)
        #expect(fromRecords.changedAnswers.count == 1)
        #expect(fromRows.changedAnswers == fromRecords.changedAnswers)
    }

    @Test func streamingReadAcrossBlocksGivesEveryRecordInOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbench-stream-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/results.jsonl"
        let (_, results) = fixedReportInput()
        var text = results.map { $0.jsonLine() + "\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for blockSize in [64, 1000, 1 << 20] {
            var read: [RequestResult] = []
            var csv: [UInt8] = []
            let truncated = try ResultsLog.stream(path: path, blockSize: blockSize, transform: { ($0, CSVReport.rowBytes($0)) }) { record, row in
                read.append(record)
                csv += row
            }
            #expect(read == results, "block size \(blockSize)")
            #expect(truncated == nil)
            #expect(String(decoding: csv, as: UTF8.self) == String(CSVReport.render(results).dropFirst(CSVReport.header().count)))
        }
        // A line cut short by a crash at the very end is skipped and named; one in the middle is an error.
        try (text + "{\"id\":\"cut").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ResultsLog.stream(path: path, blockSize: 100) { _ in } == results.count + 1)
        text = results.prefix(7).map { $0.jsonLine() + "\n" }.joined() + "not json\n" + results.suffix(3).map { $0.jsonLine() + "\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ResultsLogError.self) { try ResultsLog.stream(path: path, blockSize: 100) { _ in } }
        do {
            _ = try ResultsLog.stream(path: path, blockSize: 100) { _ in }
        } catch let error as ResultsLogError {
            guard case .badLine(_, let line, _) = error else {
                Issue.record("expected a bad line, got \(error)")
                return
            }
            #expect(line == 8)
        }
    }

    // From the review of the compact pipeline: each of these failed before its fix.

    @Test func rebuildingFromABadLogLeavesTheOldReportsAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbench-badlog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (manifest, results) = fixedReportInput()
        try results.map { $0.jsonLine() + "\n" }.joined().write(toFile: folder + "/results.jsonl", atomically: true, encoding: .utf8)
        try RunReportFiles.write(folder: folder, manifest: manifest, results: results)
        let csv = try String(contentsOfFile: folder + "/results.csv", encoding: .utf8)
        try (results[0].jsonLine() + "\n{not json}\n").write(toFile: folder + "/results.jsonl", atomically: true, encoding: .utf8)
        #expect(throws: RunError.self) { try RunReportFiles.rebuild(from: folder) }
        #expect(try String(contentsOfFile: folder + "/results.csv", encoding: .utf8) == csv)
        #expect(!FileManager.default.fileExists(atPath: folder + "/results.csv.partial"))
    }

    @Test func samplesNearTheLimitOfDoubleStillGiveFiniteFigures() throws {
        let d = Distribution([1e308, 1e308, -1e308])
        let mean = try #require(d.mean)
        #expect(Swift.abs(mean - 1e308 / 3) < 1e294)
        let spread = Distribution([-1.7e308, 1.7e308])
        #expect(spread.p50?.isFinite == true)
        #expect(spread.p99?.isFinite == true)
        // And summary.json can be written for such a run (it refused to encode non-finite figures).
        var r = RequestResult(id: "x", index: 0, repetition: 0, mode: .nonStream)
        var results: [RequestResult] = []
        for (i, e2e) in [1e308, 1e308, -1e308].enumerated() {
            r.index = i
            r.e2eMs = e2e
            results.append(r)
        }
        let (manifest, _) = fixedReportInput()
        #expect(SummaryJSONReport.render(manifest: manifest, results: results).contains("\"e2e_ms\""))
    }

    @Test func scannerRefusesAnExponentCutShortByANulByte() throws {
        let line = RequestResult(id: "n", index: 0, repetition: 0, mode: .stream).jsonLine()
        for bad in ["1e3\u{0}999", "2E1\u{0}", "1e-0\u{0}7", "1e", "1e+"] {
            let text = line.replacingOccurrences(of: "\"queue_ms\":0", with: "\"queue_ms\":\(bad)")
            #expect(Array(text.utf8).withUnsafeBytes { ResultLineScanner.record($0) } == nil, "\(bad.debugDescription)")
            #expect(throws: (any Error).self) { try ResultsLogRoundTrip.read([text]) }
        }
        let good = line.replacingOccurrences(of: "\"queue_ms\":0", with: "\"queue_ms\":1.5e-3")
        #expect(Array(good.utf8).withUnsafeBytes { ResultLineScanner.record($0) }?.queueMs == 0.0015)
    }

    @Test func aFailedCSVWriteKeepsTheRequestInTheFigures() throws {
        // /dev/full takes the open and refuses every write: a full disk.
        var accumulator = try ReportAccumulator(csvPath: "/dev/full")
        var r = RequestResult(id: "big", index: 0, repetition: 0, mode: .stream)
        r.answer = String(repeating: "x", count: 700_000)
        var failures = 0
        for i in 0..<4 {
            r.index = i
            do { try accumulator.add(r) } catch { failures += 1 }
        }
        #expect(failures > 0)
        #expect(accumulator.rows.count == 4)
    }

    @Test func changedAnswersKeepInputOrderOnTies() {
        var base: [RequestResult] = []
        for id in ["p1", "p3", "p5", "p2", "p4", "p6"] {
            var r = RequestResult(id: id, index: 0, repetition: 0, mode: .stream)
            r.temperature = 0
            r.answer = "old"
            base.append(r)
        }
        let new = base.map { r in
            var changed = r
            changed.answer = "new"
            return changed
        }
        let comparison = BaselineComparison.compare(base: base, new: new)
        #expect(comparison.changedAnswers.map(\.prompt) == ["p1", "p3", "p5", "p2", "p4", "p6"])
    }
}
