import Foundation

/// The report files of a run folder, all pure functions of the manifest and the results: written by
/// `BenchmarkRun` at the end of a run, by `chatbench report` from a recorded results.jsonl, and by
/// `chatbench merge` for a merged run. One list, so the three can never drift apart.
public enum RunReportFiles {
    /// The files derived from results.jsonl (which itself is written as results land).
    public static let derivedFiles = ["results.csv", "summary.json", "summary.md", "report.html"]

    /// Writes (replacing) results.csv, summary.json, summary.md and report.html in `folder`, and
    /// pairs.csv when the run paired streaming with non-streaming requests.
    public static func write(folder: String, manifest: RunManifest, results: [RequestResult]) throws(RunError) {
        try writeFile(folder + "/results.csv", CSVReport.render(results))
        try writeFile(folder + "/summary.json", SummaryJSONReport.render(manifest: manifest, results: results))
        try writeFile(folder + "/summary.md", MarkdownReport.render(manifest: manifest, results: results))
        try writeFile(folder + "/report.html", HTMLReport.render(manifest: manifest, results: results))
        if let paired = PairedComparison(results: results) { try writeFile(folder + "/pairs.csv", paired.csv()) }
        // Hook for checks (junit.xml): when the run has assertions or thresholds, render their
        // outcomes here from the same manifest and results, so `chatbench report` rebuilds it too.
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
        public var results: [RequestResult]
        /// 1-based number of an incomplete final line of results.jsonl that was skipped, if any.
        public var truncatedLine: Int?
    }

    /// `chatbench report RUN_DIR|results.jsonl`: rebuilds every derived report of a run folder from
    /// its results.jsonl, reusing the manifest of the summary.json the run wrote (which holds what
    /// results.jsonl cannot: target, options, host). The rebuilt summary.json is byte-identical to
    /// the original when the results are unchanged. `outFolder` writes elsewhere (default: in place).
    public static func rebuild(from path: String, outFolder: String? = nil) throws(RunError) -> Rebuilt {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .output("\(path) does not exist; give a run folder or its results.jsonl")
        }
        let folder = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent.nonEmpty ?? "."
        let resultsPath = isDirectory.boolValue ? folder + "/results.jsonl" : path
        let summaryPath = folder + "/summary.json"
        let manifest = try readManifest(summaryPath)
        let contents: ResultsLog.Contents
        do {
            contents = try ResultsLog.readDetailed(path: resultsPath)
        } catch {
            throw .output("\(error)")
        }
        let target = outFolder ?? folder
        if let outFolder {
            do {
                try FileManager.default.createDirectory(atPath: outFolder, withIntermediateDirectories: true)
            } catch {
                throw .output("cannot create \(outFolder): \(error.localizedDescription)")
            }
        }
        try write(folder: target, manifest: manifest, results: contents.results)
        return Rebuilt(folder: target, manifest: manifest, results: contents.results, truncatedLine: contents.truncatedLine)
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
