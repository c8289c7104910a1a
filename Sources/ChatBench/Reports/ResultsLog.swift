import Foundation
import Synchronization
import Glibc

/// Why results.jsonl could not be written or read back, with the path and what to check.
public enum ResultsLogError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    case closed(path: String)
    case cannotRead(path: String, reason: String)
    case badLine(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open \(path) for writing: \(reason) — check the output directory exists and is writable"
        case .writeFailed(let path, let reason):
            "cannot write to \(path): \(reason) — is the disk full?"
        case .closed(let path):
            "results log \(path) was already closed; this is a bug in chatbench"
        case .cannotRead(let path, let reason):
            "cannot read \(path): \(reason)"
        case .badLine(let path, let line, let reason):
            "\(path) line \(line) is not a valid result record: \(reason) — was the file edited or written by another version?"
        }
    }
}

extension RequestResult {
    /// The record as one line of JSON (no trailing newline), keys sorted so lines diff cleanly.
    public func jsonLine() -> String {
        String(decoding: jsonLineBytes(), as: UTF8.self)
    }

    /// The line as UTF-8, written by hand (RequestResult+JSONLine.swift): byte-identical to what
    /// JSONEncoder wrote, at a fraction of the cost.
    func jsonLineBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024 + answer.utf8.count + (reasoning?.utf8.count ?? 0) + itlMs.count * 20)
        // Non-finite doubles are the only thing JSON cannot carry; never let that cost the record.
        if allDoublesFinite {
            writeJSONLine(into: &bytes)
        } else {
            var copy = self
            copy.sanitiseNonFinite()
            copy.writeJSONLine(into: &bytes)
        }
        return bytes
    }

    private mutating func sanitiseNonFinite() {
        func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
        if !startOffsetMs.isFinite { startOffsetMs = 0 }
        if !queueMs.isFinite { queueMs = 0 }
        connectMs = finite(connectMs)
        ttfbMs = finite(ttfbMs)
        ttftMs = finite(ttftMs)
        lastTokenMs = finite(lastTokenMs)
        e2eMs = finite(e2eMs)
        tpotMs = finite(tpotMs)
        itlMeanMs = finite(itlMeanMs)
        itlMaxMs = finite(itlMaxMs)
        itlMs = itlMs.filter(\.isFinite)
        decodeTps = finite(decodeTps)
        e2eTps = finite(e2eTps)
        ttfcMs = finite(ttfcMs)
        reasoningMs = finite(reasoningMs)
        tokensPerChunk = finite(tokensPerChunk)
        serverTotalMs = finite(serverTotalMs)
        serverLoadMs = finite(serverLoadMs)
        serverPrefillMs = finite(serverPrefillMs)
        serverDecodeMs = finite(serverDecodeMs)
        serverPrefillTps = finite(serverPrefillTps)
        serverDecodeTps = finite(serverDecodeTps)
        serverGapMs = finite(serverGapMs)
    }
}

/// results.jsonl, appended one line per finished request with an unbuffered `write(2)`, so every
/// record that finished is on disk even if the run is killed by Ctrl-C or crashes.
public final class ResultsLog: Sendable {
    /// What `readDetailed` found: the records, and the line it skipped if the file ended mid-record.
    public struct Contents: Sendable, Equatable {
        public var results: [RequestResult]
        /// 1-based number of an incomplete final line (a crash mid-write), skipped; nil if none.
        public var truncatedLine: Int?
    }

    public let path: String
    private let descriptor: Mutex<Int32?>

    /// Opens (creating, 0644) `path` for appending; existing records are kept.
    public init(path: String) throws {
        self.path = path
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ResultsLogError.cannotOpen(path: path, reason: Self.errnoText()) }
        descriptor = Mutex(fd)
    }

    deinit {
        close()
    }

    /// Writes the record as one line; a whole line per `write` call keeps lines from different
    /// requests from interleaving.
    public func append(_ r: RequestResult) throws {
        var line = r.jsonLineBytes()
        line.append(UInt8(ascii: "\n"))
        try descriptor.withLock { fd in
            guard let fd else { throw ResultsLogError.closed(path: path) }
            var written = 0
            while written < line.count {
                let n = line.withUnsafeBytes { buffer in
                    Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ResultsLogError.writeFailed(path: path, reason: Self.errnoText())
                }
                written += n
            }
        }
    }

    /// Closes the file; later appends throw. Safe to call twice.
    public func close() {
        descriptor.withLock { fd in
            if let open = fd { _ = Glibc.close(open) }
            fd = nil
        }
    }

    /// Reads every record back, skipping an incomplete final line left by a crash.
    public static func read(path: String) throws -> [RequestResult] {
        try readDetailed(path: path).results
    }

    /// One line's outcome while reading: a record (as the caller's transform made it), a blank
    /// line, or why it is not a record.
    private enum LineResult<T: Sendable>: Sendable {
        case record(T)
        case blank
        case bad(String)
    }

    /// Reads the records one at a time, in file order, handing each to `body`, without holding
    /// the file or the records: the file is read in blocks, and each block's lines are parsed
    /// and passed through `transform` on every core (so a caller that wants, say, a compact row
    /// and a CSV row of each record gets them made in parallel too). Returns the 1-based number of
    /// an incomplete final line that was skipped (a crash mid-write), if any; any other bad line
    /// is an error naming its line number.
    public static func stream<T: Sendable>(
        path: String, blockSize: Int = 8 << 20, transform: @Sendable (RequestResult) -> T, _ body: (T) throws -> Void
    ) throws -> Int? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ResultsLogError.cannotRead(path: path, reason: errnoText()) }
        defer { _ = Glibc.close(fd) }
        var block = [UInt8](repeating: 0, count: blockSize)
        var pending: [UInt8] = []
        var linesBefore = 0
        var truncatedLine: Int?
        while true {
            let n = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, blockSize) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ResultsLogError.cannotRead(path: path, reason: errnoText())
            }
            let atEnd = n == 0
            // Whole lines only, until the end: then whatever is left is the last line. Only the
            // new bytes are searched: what was pending already held no newline.
            let cut = atEnd ? pending.count + n : (block[0..<n].lastIndex(of: UInt8(ascii: "\n")).map { pending.count + $0 + 1 } ?? 0)
            pending.append(contentsOf: block[0..<n])
            if cut > 0 {
                let parsed = pending.withUnsafeBytes { parseLines(UnsafeRawBufferPointer(rebasing: $0[0..<cut]), transform: transform) }
                let terminated = pending[cut - 1] == UInt8(ascii: "\n")
                for (offset, line) in parsed.enumerated() {
                    switch line {
                    case .record(let record): try body(record)
                    case .blank: continue
                    case .bad(let reason):
                        // Only the last line can have been cut short by a crash; it has no newline after it.
                        if atEnd, !terminated, offset == parsed.count - 1 {
                            truncatedLine = linesBefore + offset + 1
                            continue
                        }
                        throw ResultsLogError.badLine(path: path, line: linesBefore + offset + 1, reason: reason)
                    }
                }
                linesBefore += parsed.count
                pending.removeFirst(cut)
            }
            if atEnd { return truncatedLine }
        }
    }

    /// Every record, one at a time (see `stream(path:blockSize:transform:_:)`).
    public static func stream(path: String, blockSize: Int = 8 << 20, _ body: (RequestResult) throws -> Void) throws -> Int? {
        try stream(path: path, blockSize: blockSize, transform: { $0 }, body)
    }

    /// Reads every record back and says whether an incomplete final line was skipped.
    /// Any other bad line is an error naming its line number.
    public static func readDetailed(path: String) throws -> Contents {
        var results: [RequestResult] = []
        let truncated = try stream(path: path) { results.append($0) }
        return Contents(results: results, truncatedLine: truncated)
    }

    /// Parses the lines of `bytes` on every core (the scanner, else JSONParser + the generated
    /// field switch; no JSONDecoder), in order. A final newline ends the last line rather than
    /// starting an empty one.
    private static func parseLines<T: Sendable>(_ bytes: UnsafeRawBufferPointer, transform: @Sendable (RequestResult) -> T) -> [LineResult<T>] {
        var lines: [Range<Int>] = []
        var start = 0
        lines.reserveCapacity(bytes.count / 512)
        while start < bytes.count {
            // memchr: the generic search was 3% of a million-record report.
            let found = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
            let end = found.map { UnsafeRawPointer($0) - UnsafeRawPointer(bytes.baseAddress!) } ?? bytes.count
            lines.append(start..<end)
            start = end + 1
        }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, lines.count / 256))
        let slices = Mutex<[[LineResult<T>]]>(Array(repeating: [], count: workers))
        let lineRanges = lines
        let base = UInt(bitPattern: bytes.baseAddress)
        let count = bytes.count
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let all = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: base), count: count)
            let from = lineRanges.count * worker / workers
            let to = lineRanges.count * (worker + 1) / workers
            var parsed: [LineResult<T>] = []
            parsed.reserveCapacity(to - from)
            for range in lineRanges[from..<to] {
                switch parseLine(UnsafeRawBufferPointer(rebasing: all[range])) {
                case .record(let record): parsed.append(.record(transform(record)))
                case .blank: parsed.append(.blank)
                case .bad(let reason): parsed.append(.bad(reason))
                }
            }
            slices.withLock { $0[worker] = parsed }
        }
        return slices.withLock { $0 }.flatMap { $0 }
    }

    private static func parseLine(_ line: UnsafeRawBufferPointer) -> LineResult<RequestResult> {
        var content = line
        if content.last == UInt8(ascii: "\r") { content = UnsafeRawBufferPointer(rebasing: content.dropLast()) }
        if content.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return .blank }
        // Lines as chatbench writes them take the scanner; anything else, the full parser.
        if let record = ResultLineScanner.record(content) { return .record(record) }
        guard case .object(let object)? = try? JSONParser.parse(content) else {
            return .bad(ResultJSONError.notJSON.description)
        }
        do {
            return .record(try RequestResult(jsonLine: object))
        } catch {
            return .bad(error.description)
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
