import Glibc

/// Takes finished requests one at a time — as a run finishes them, or as `chatbench report` reads
/// them back from results.jsonl — and keeps only what the reports need: each results.csv row goes
/// straight to the file, and a compact `ResultRow` (numbers, no answer text) stays in memory. So a
/// run's memory does not grow with its answers, and the run and `chatbench report` build the same
/// files the same way.
public struct ReportAccumulator {
    public private(set) var rows: [ResultRow] = []
    private let csv: BufferedFile?
    /// For each prompt and mode, the row holding its earliest successful temperature-0 answer: the
    /// one answer per prompt a baseline comparison reads. Every other row drops its answer.
    private var answerHolder: [PromptModeKey: Int] = [:]
    /// Ids, finish reasons and sweep levels repeat across requests; rows share one copy of each.
    private var strings: Set<String> = []

    /// `csvPath` nil keeps rows only (no results.csv).
    public init(csvPath: String?) throws(RunError) {
        if let csvPath {
            let file = try BufferedFile(path: csvPath)
            try file.write(Array(CSVReport.header().utf8))
            csv = file
        } else {
            csv = nil
        }
    }

    /// A record's compact row (with its answer, until `add` decides) and CSV row, made wherever
    /// the record was read (on the parsing cores, for `chatbench report`).
    public struct Prepared: Sendable {
        var row: ResultRow
        var csvRow: [UInt8]?

        public init(_ result: RequestResult, csv: Bool = true) {
            row = ResultRow(result)
            csvRow = csv ? CSVReport.rowBytes(result) : nil
        }
    }

    /// Writes the result's CSV row and keeps its compact row.
    public mutating func add(_ result: RequestResult) throws(RunError) {
        try add(Prepared(result, csv: csv != nil))
    }

    public mutating func add(_ prepared: Prepared) throws(RunError) {
        if let csv, let line = prepared.csvRow { try csv.write(line) }
        var row = prepared.row
        var keepAnswer = false
        if row.outcome == .ok, row.temperature == 0 {
            let key = PromptModeKey(prompt: row.id, mode: row.mode)
            let held = answerHolder[key].map { rows[$0] }
            if held.map({ (row.repetition, row.index) < ($0.repetition, $0.index) }) ?? true {
                if let previous = answerHolder[key] { rows[previous].dropAnswer() }
                answerHolder[key] = rows.count
                keepAnswer = true
            }
        }
        if !keepAnswer { row.dropAnswer() }
        row.id = interned(row.id)
        row.finishReason = interned(row.finishReason)
        if let level = row.sweepLevel { row.sweepLevel = interned(level) }
        rows.append(row)
    }

    private mutating func interned(_ text: String) -> String {
        strings.insert(text).memberAfterInsert
    }

    /// Flushes and closes results.csv and hands over the rows.
    public func finish() throws(RunError) -> [ResultRow] {
        try csv?.close()
        return rows
    }
}

/// An append-only file written in large blocks (results.csv as rows arrive).
final class BufferedFile {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private static let blockSize = 1 << 20

    init(path: String) throws(RunError) {
        self.path = path
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .output("cannot write \(path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.blockSize)
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    func write(_ bytes: [UInt8]) throws(RunError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.blockSize { try flush() }
    }

    func flush() throws(RunError) {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .output("cannot write \(path): \(String(cString: strerror(errno))) — is the disk full?")
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(RunError) {
        guard fd >= 0 else { return }
        try flush()
        _ = Glibc.close(fd)
        fd = -1
    }
}
