import Foundation

/// The whole of summary.json as a value: written by `SummaryJSONReport`, read back to re-report
/// a finished run.
public struct SummaryDocument: Sendable, Codable, Equatable {
    /// The format this build writes; bump on any incompatible change to summary.json.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var manifest: RunManifest
    public var overall: Summary
    /// Keyed by `RequestMode.rawValue`; only modes that have results.
    public var modes: [String: Summary]
    /// Arrival rate achieved, client lag, overload and client-bound warnings.
    public var load: LoadSummary?
    /// Stream vs non-stream, pair by pair (`--mode both`).
    public var paired: PairedComparison?
    /// One summary per level (`--sweep`), in the order run.
    public var sweep: [SweepLevel]?
    /// Assertions, thresholds and the baseline verdict, when the run had checks.
    public var checks: ChecksSummary?

    public init(schemaVersion: Int = SummaryDocument.currentSchemaVersion, manifest: RunManifest,
                overall: Summary, modes: [String: Summary], load: LoadSummary? = nil, paired: PairedComparison? = nil,
                sweep: [SweepLevel]? = nil) {
        self.schemaVersion = schemaVersion
        self.manifest = manifest
        self.overall = overall
        self.modes = modes
        self.load = load
        self.paired = paired
        self.sweep = sweep
    }

    /// Summarises `results` overall and per mode present.
    public init<R: MeasuredRequest>(manifest: RunManifest, results: [R]) {
        let overall = Summary(results: results, mode: nil)
        let present = RequestMode.allCases.filter { mode in results.contains { $0.mode == mode } }
        var modes: [String: Summary] = [:]
        for mode in present {
            // With one mode, its summary is the overall one: the same requests.
            modes[mode.rawValue] = present.count == 1 ? overall : Summary(results: results, mode: mode)
        }
        self.init(
            manifest: manifest, overall: overall, modes: modes,
            load: LoadSummary(results: results, targetRate: manifest.load?.rate),
            paired: PairedComparison(results: results), sweep: SweepLevel.levels(of: results))
    }

    /// Reads a summary.json written by `SummaryJSONReport.render`.
    public static func decode(_ data: Data) throws -> SummaryDocument {
        try JSONDecoder().decode(SummaryDocument.self, from: data)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case manifest, overall, modes, load, paired, sweep, checks
    }
}

/// Writes summary.json: deterministic bytes for the same input, so runs can be diffed.
public enum SummaryJSONReport {
    /// Pretty-printed, sorted-key JSON of the manifest and the overall and per-mode summaries, ending in a newline.
    public static func render<R: MeasuredRequest>(manifest: RunManifest, results: [R]) -> String {
        render(SummaryDocument(manifest: manifest, results: results))
    }

    /// Renders an already built (or read back) document.
    public static func render(_ document: SummaryDocument) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every value in the document is a plain struct of strings, numbers and finite doubles
        // (Distribution drops non-finite samples), so encoding cannot fail.
        guard let data = try? encoder.encode(document) else {
            preconditionFailure("summary document failed to encode")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
