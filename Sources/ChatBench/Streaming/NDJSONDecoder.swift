#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Incremental splitter for newline-delimited JSON (Ollama's native `/api/chat` stream) that
/// accepts the body in any split and hands out each complete, non-blank line.
///
/// Only LF ends a line (a lone CR is legal JSON whitespace); a CR before the LF is dropped.
/// Lines that arrive whole inside a fed buffer are passed to the callback in place, without a
/// copy; only an incomplete tail is buffered. After `feed` throws, discard the decoder.
public struct NDJSONDecoder: Sendable {
    /// Longest line (in bytes, before its LF) accepted before `lineTooLong` is thrown.
    public let maxLineBytes: Int
    /// Total bytes passed to `feed` over the decoder's life.
    public private(set) var bytesFed: Int = 0

    /// The incomplete last line of previous feeds.
    private var lineBuffer: [UInt8] = []

    public init(maxLineBytes: Int = 8 << 20) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive")
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes of the current, not yet terminated line (exposed for tests of the memory bound).
    var pendingLineByteCount: Int { lineBuffer.count }

    /// Splits `bytes` into lines and calls `onLine` with each complete non-blank line, without its
    /// line terminator; the pointer is valid only during the call.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ onLine: (UnsafeRawBufferPointer) throws -> Void) throws {
        let count = bytes.count
        bytesFed += count
        guard count > 0, let base = bytes.baseAddress else { return }
        var index = 0
        while index < count {
            guard let found = memchr(base + index, Int32(Self.lineFeed), count - index) else {
                let tailLength = count - index
                guard lineBuffer.count + tailLength <= maxLineBytes else {
                    throw StreamDecodingError.lineTooLong(limit: maxLineBytes)
                }
                lineBuffer.append(contentsOf: UnsafeRawBufferPointer(start: base + index, count: tailLength)
                    .assumingMemoryBound(to: UInt8.self))
                return
            }
            let lineEnd = base.distance(to: UnsafeRawPointer(found))
            let segment = UnsafeRawBufferPointer(start: base + index, count: lineEnd - index)
            index = lineEnd + 1
            if lineBuffer.isEmpty {
                guard segment.count <= maxLineBytes else {
                    throw StreamDecodingError.lineTooLong(limit: maxLineBytes)
                }
                try Self.deliver(segment, onLine)
            } else {
                guard lineBuffer.count + segment.count <= maxLineBytes else {
                    throw StreamDecodingError.lineTooLong(limit: maxLineBytes)
                }
                lineBuffer.append(contentsOf: segment.assumingMemoryBound(to: UInt8.self))
                defer { lineBuffer.removeAll(keepingCapacity: true) }
                try lineBuffer.withUnsafeBytes { try Self.deliver($0, onLine) }
            }
        }
    }

    /// Ends the stream, delivering a final line that had no terminating LF (Ollama ends its last
    /// object with one, but a proxy may not); afterwards the decoder is ready for a new stream.
    public mutating func finish(_ onLine: (UnsafeRawBufferPointer) throws -> Void) throws {
        defer { lineBuffer.removeAll(keepingCapacity: true) }
        if !lineBuffer.isEmpty {
            try lineBuffer.withUnsafeBytes { try Self.deliver($0, onLine) }
        }
    }

    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    /// Drops a CR of a CRLF and skips whitespace-only lines, which carry no JSON value.
    private static func deliver(_ line: UnsafeRawBufferPointer, _ onLine: (UnsafeRawBufferPointer) throws -> Void) throws {
        var length = line.count
        if length > 0, line[length - 1] == carriageReturn { length -= 1 }
        var position = 0
        while position < length {
            let byte = line[position]
            guard byte == 0x20 || byte == 0x09 || byte == carriageReturn else { break }
            position += 1
        }
        guard position < length else { return }
        try onLine(UnsafeRawBufferPointer(rebasing: line[..<length]))
    }
}
