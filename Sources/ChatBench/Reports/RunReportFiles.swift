import Foundation

/// The report files of a run folder, all pure functions of the manifest and the results: written by
/// `BenchmarkRun` at the end of a run, by `chatbench report` from a recorded results.jsonl, and by
/// `chatbench merge` for a merged run. One list, so the three can never drift apart.
public enum RunReportFiles {
    /// The files derived from results.jsonl (which itself is written as results land).
    public static let derivedFiles = ["results.csv", "summary.json", "summary.md", "report.html"]  // plus pairs.csv and junit.xml when they apply

    /// What `write` produced: the summary document (as summary.json holds it) and the checks.
    public struct Written: Sendable {
        public var document: SummaryDocument
        public var checks: CheckReport
    }

    /// Writes (replacing) results.csv, summary.json, summary.md and report.html in `folder`, and
    /// pairs.csv when the run paired streaming with non-streaming requests.
    /// With checks (assertions, thresholds, a baseline), summary.md gets their section and
    /// junit.xml is written too. `junitPath` (`--junit FILE`) puts junit.xml elsewhere instead.
    @discardableResult
    public static func write(
        folder: String, manifest: RunManifest, results: [RequestResult], checks: CheckConfiguration? = nil, junitPath: String? = nil
    ) throws(RunError) -> Written {
        var accumulator = try ReportAccumulator(csvPath: folder + "/results.csv")
        for result in results { try accumulator.add(result) }
        return try write(folder: folder, manifest: manifest, rows: accumulator.finish(), checks: checks, junitPath: junitPath)
    }

    /// Writes every report but results.csv (which a `ReportAccumulator` wrote as the rows arrived)
    /// from the rows; the summary document is computed once and every file is drawn from it.
    @discardableResult
    public static func write(
        folder: String, manifest: RunManifest, rows: [ResultRow], checks: CheckConfiguration? = nil, junitPath: String? = nil
    ) throws(RunError) -> Written {
        let checkReport = CheckReport.evaluate(
            checks ?? checkConfiguration(of: manifest), suiteName: promptSetName(manifest.promptSetPath), results: rows, newLabel: folder)
        var document = SummaryDocument(manifest: manifest, results: rows)
        if checkReport.hasChecks { document.checks = ChecksSummary(checkReport) }
        try writeFile(folder + "/summary.json", SummaryJSONReport.render(document))
        try writeFile(
            folder + "/summary.md",
            MarkdownReport.render(document, results: rows) + (checkReport.hasChecks ? ChecksMarkdownReport.render(checkReport) : ""))
        try writeFile(folder + "/report.html", HTMLReport.render(document, results: rows))
        if let paired = document.paired { try writeFile(folder + "/pairs.csv", paired.csv()) }
        if let junitPath {
            try writeFile(junitPath, JUnitReport.render(checkReport))
        } else if checkReport.hasChecks {
            try writeFile(folder + "/junit.xml", JUnitReport.render(checkReport))
        }
        return Written(document: document, checks: checkReport)
    }

    /// The checks a run was made with, as its manifest recorded them (thresholds, pass rate,
    /// baseline): what `chatbench report` needs to rebuild junit.xml and the checks section.
    static func checkConfiguration(of manifest: RunManifest) -> CheckConfiguration {
        var configuration = CheckConfiguration()
        let options = manifest.options
        if let text = options["thresholds"] {
            configuration.thresholds = text.split(separator: "\n").compactMap { try? Threshold.parse(String($0)) }
        }
        if let rate = options["pass_rate"].flatMap(Double.init) { configuration.passRate = rate }
        if let tolerance = options["tolerance"].flatMap(Double.init) { configuration.tolerance = tolerance }
        if let seed = options["bootstrap_seed"].flatMap(UInt64.init) { configuration.bootstrapSeed = seed }
        if let path = options["baseline"] { configuration.baseline = try? BaselineRun.load(path: path) }
        return configuration
    }

    /// Records `checks` in `options` so the run's reports can be rebuilt with them.
    public static func record(_ checks: CheckConfiguration, in options: inout [String: String]) {
        if !checks.thresholds.isEmpty { options["thresholds"] = checks.thresholds.map(\.expression).joined(separator: "\n") }
        if checks.passRate != 1 { options["pass_rate"] = String(checks.passRate) }
        if checks.tolerance != 0.10 { options["tolerance"] = String(checks.tolerance) }
        if checks.bootstrapSeed != 1 { options["bootstrap_seed"] = String(checks.bootstrapSeed) }
        if let baseline = checks.baseline { options["baseline"] = baseline.path }
    }

    /// `prompts/smoke.jsonl` -> `smoke`.
    static func promptSetName(_ path: String) -> String {
        let file = (path as NSString).lastPathComponent
        let name = (file as NSString).deletingPathExtension
        return name.isEmpty ? file : name
    }

    static func writeFile(_ path: String, _ text: String) throws(RunError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .output("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// What `rebuild` read and wrote.
    public struct Rebuilt: Sendable {
        public var folder: String
        public var manifest: RunManifest
        public var rows: [ResultRow]
        public var document: SummaryDocument
        /// 1-based number of an incomplete final line of results.jsonl that was skipped, if any.
        public var truncatedLine: Int?
    }

    /// `chatbench report RUN_DIR|results.jsonl`: rebuilds every derived report of a run folder from
    /// its results.jsonl, reusing the manifest of the summary.json the run wrote (which holds what
    /// results.jsonl cannot: target, options, host). The rebuilt summary.json is byte-identical to
    /// the original when the results are unchanged. `outFolder` writes elsewhere (default: in place).
    /// The records are streamed: only their compact rows are held.
    public static func rebuild(from path: String, outFolder: String? = nil) throws(RunError) -> Rebuilt {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .output("\(path) does not exist; give a run folder or its results.jsonl")
        }
        let folder = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent.nonEmpty ?? "."
        let resultsPath = isDirectory.boolValue ? folder + "/results.jsonl" : path
        let summaryPath = folder + "/summary.json"
        let manifest = try readManifest(summaryPath)
        let target = outFolder ?? folder
        if let outFolder {
            do {
                try FileManager.default.createDirectory(atPath: outFolder, withIntermediateDirectories: true)
            } catch {
                throw .output("cannot create \(outFolder): \(error.localizedDescription)")
            }
        }
        var accumulator = try ReportAccumulator(csvPath: target + "/results.csv", replacing: true)
        let truncatedLine: Int?
        do {
            // Each record's row and CSV line are made on the parsing cores; only their order is kept here.
            truncatedLine = try ResultsLog.stream(path: resultsPath, transform: { ReportAccumulator.Prepared($0) }) { prepared in
                try accumulator.add(prepared)
            }
        } catch let error as RunError {
            throw error
        } catch {
            throw .output("\(error)")
        }
        let rows = try accumulator.finish()
        let written = try write(folder: target, manifest: manifest, rows: rows)
        return Rebuilt(folder: target, manifest: manifest, rows: rows, document: written.document, truncatedLine: truncatedLine)
    }

    /// The manifest of a run folder's summary.json.
    public static func readManifest(_ summaryPath: String) throws(RunError) -> RunManifest {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: summaryPath))
        } catch {
            throw .output("cannot read \(summaryPath): \(error.localizedDescription) — a run folder holds the summary.json its run wrote; without it the run's manifest (target, options) is unknown")
        }
        do {
            return try SummaryDocument.decode(data).manifest
        } catch {
            throw .output("\(summaryPath) is not a chatbench summary.json (\(error)); was it written by another version?")
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
