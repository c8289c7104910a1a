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

    /// `csvPath` nil keeps rows only (no results.csv). `replacing`: write beside the file and put
    /// it in place only when `finish` succeeds, so rebuilding from a bad results.jsonl leaves the
    /// old results.csv as it was (a run writes in place instead, so a crash keeps what finished).
    public init(csvPath: String?, replacing: Bool = false) throws(RunError) {
        if let csvPath {
            let file = try BufferedFile(path: csvPath, replacing: replacing)
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

    /// The row is kept even when the CSV write fails (a full disk must not take requests out of
    /// the figures); the error is still thrown for the caller to report.
    public mutating func add(_ prepared: Prepared) throws(RunError) {
        keep(prepared.row)
        if let csv, let line = prepared.csvRow { try csv.write(line) }
    }

    private mutating func keep(_ kept: ResultRow) {
        var row = kept
        // The row keeps its answer only if it is the earliest successful temperature-0 request of
        // its prompt and mode so far; the row that held the answer before lets it go.
        var holdsAnswer = false
        if row.outcome == .ok, row.temperature == 0 {
            let key = PromptModeKey(prompt: row.id, mode: row.mode)
            if let previous = answerHolder[key] {
                if (row.repetition, row.index) < (rows[previous].repetition, rows[previous].index) {
                    rows[previous].dropAnswer()
                    holdsAnswer = true
                }
            } else {
                holdsAnswer = true
            }
            if holdsAnswer { answerHolder[key] = rows.count }
        }
        if !holdsAnswer { row.dropAnswer() }
        row.id = interned(row.id)
        row.finishReason = interned(row.finishReason)
        if let level = row.sweepLevel { row.sweepLevel = interned(level) }
        rows.append(row)
    }

    public mutating func reserveCapacity(_ count: Int) {
        rows.reserveCapacity(count)
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
    /// Where the bytes go until `close` (the path itself, or a temporary file beside it).
    private let writingPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private static let blockSize = 1 << 20

    init(path: String, replacing: Bool = false) throws(RunError) {
        self.path = path
        writingPath = replacing ? path + ".partial" : path
        fd = Glibc.open(writingPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .output("cannot write \(writingPath): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.blockSize)
    }

    deinit {
        // Never closed: the writer gave up. A replacement is abandoned; a file written in place
        // gets what was buffered, so it holds every row that was handed over.
        guard fd >= 0 else { return }
        if writingPath != path {
            _ = Glibc.close(fd)
            _ = unlink(writingPath)
        } else {
            try? flush()
            _ = Glibc.close(fd)
        }
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
                let reason = String(cString: strerror(errno))
                // What went out is not written again by the next flush.
                buffer.removeFirst(written)
                throw .output("cannot write \(path): \(reason) — is the disk full?")
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
        if writingPath != path, rename(writingPath, path) != 0 {
            throw .output("cannot replace \(path): \(String(cString: strerror(errno)))")
        }
    }
}
