#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One dispatched server-sent event, with its data kept as bytes so that a multi-byte UTF-8
/// character split across network reads is decoded only once the event is complete.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field; nil when the event had no (or an empty) `event:` line, which the
    /// spec treats as the default type "message".
    public var name: String?
    /// The `data:` lines of the event joined with `\n`, without a trailing line feed.
    public var data: [UInt8]

    public init(name: String? = nil, data: [UInt8]) {
        self.name = name
        self.data = data
    }

    /// Whether this is OpenAI's end-of-stream sentinel `data: [DONE]` (surrounding whitespace tolerated).
    public var isDone: Bool {
        data.withUnsafeBytes { Self.isDone($0) }
    }

    /// `isDone` for event data held as bytes.
    static func isDone(_ data: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        var end = data.count
        while start < end, isWhitespace(data[start]) { start += 1 }
        while end > start, isWhitespace(data[end - 1]) { end -= 1 }
        return end - start == 6 && UnsafeRawBufferPointer(rebasing: data[start..<end]).elementsEqual("[DONE]".utf8)
    }

    /// The data decoded as UTF-8 (invalid sequences become U+FFFD rather than failing).
    public var text: String { String(decoding: data, as: UTF8.self) }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// Incremental `text/event-stream` parser (WHATWG rules) that accepts the body in any split —
/// inside a line, between CR and LF, inside a UTF-8 character — and reports whole events.
///
/// It runs on the I/O thread for every byte received, so lines that arrive whole inside a fed
/// buffer are parsed in place, only an incomplete tail is copied, and all internal buffers keep
/// their capacity between events. After `feed` throws (line too long, or the callback threw),
/// the decoder's state is unspecified and it should be discarded with the stream.
/// `id:` and `retry:` fields are accepted and ignored: a benchmark never reconnects.
public struct SSEDecoder: Sendable {
    /// Longest line (in bytes, without its terminator) accepted before `lineTooLong` is thrown.
    public let maxLineBytes: Int
    /// Total bytes passed to `feed` over the decoder's life.
    public private(set) var bytesFed: Int = 0
    /// Comment lines (`:` keep-alives) seen, so a stream that only pings can be told from a silent one.
    public private(set) var commentCount: Int = 0

    /// The incomplete last line of previous feeds (never holds a line terminator).
    private var lineBuffer: [UInt8] = []
    private var dataBuffer: [UInt8] = []
    private var hasData = false
    private var eventName: [UInt8] = []
    /// The previous feed ended with CR, which already ended a line; an LF starting the next feed
    /// belongs to that CRLF and must not end a second (blank, event-dispatching) line.
    private var skipLeadingLineFeed = false
    /// How many bytes of a UTF-8 BOM matched so far at the start of the stream.
    private var byteOrderMarkMatched = 0
    private var byteOrderMarkResolved = false

    public init(maxLineBytes: Int = 8 << 20) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive")
        self.maxLineBytes = maxLineBytes
    }

    /// An empty decoder to swap in while the real one is moved out.
    static let placeholder = SSEDecoder()

    /// Bytes of the current, not yet terminated line (exposed for tests of the memory bound).
    var pendingLineByteCount: Int { lineBuffer.count }

    /// Parses `bytes` and calls `onEvent` for every event completed by a blank line.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ onEvent: (SSEEvent) throws -> Void) throws {
        try feedBorrowing(bytes) { name, data in
            try onEvent(SSEEvent(name: name.map { String(decoding: $0, as: UTF8.self) }, data: [UInt8](data)))
        }
    }

    /// Like `feed`, but hands each event's name (nil when it had none) and data as bytes that are
    /// valid only during the call: no array per event, for the recorder on the I/O thread.
    mutating func feedBorrowing(
        _ bytes: UnsafeRawBufferPointer, _ onEvent: (_ name: UnsafeRawBufferPointer?, _ data: UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let count = bytes.count
        bytesFed += count
        guard count > 0, let base = bytes.baseAddress else { return }
        var index = 0

        if !byteOrderMarkResolved {
            while index < count, !byteOrderMarkResolved {
                if bytes[index] == Self.byteOrderMark[byteOrderMarkMatched] {
                    byteOrderMarkMatched += 1
                    index += 1
                    if byteOrderMarkMatched == Self.byteOrderMark.count { byteOrderMarkResolved = true }
                } else {
                    restorePartialByteOrderMark()
                }
            }
            if index == count { return }
        }

        if skipLeadingLineFeed {
            skipLeadingLineFeed = false
            if bytes[index] == Self.lineFeed {
                index += 1
            }
        }

        // Position of the next LF at or after `index` (or `count`), cached so that streams using
        // lone CRs do not rescan the rest of the buffer for every line.
        var nextLineFeed = -1
        while index < count {
            if nextLineFeed < index {
                nextLineFeed = Self.find(Self.lineFeed, base + index, count - index).map { index + $0 } ?? count
            }
            let lineEnd = Self.find(Self.carriageReturn, base + index, nextLineFeed - index).map { index + $0 } ?? nextLineFeed
            let segmentLength = lineEnd - index

            if lineEnd == count {
                // No terminator in this feed: keep the tail, but never past the bound.
                guard lineBuffer.count + segmentLength <= maxLineBytes else {
                    throw StreamDecodingError.lineTooLong(limit: maxLineBytes)
                }
                lineBuffer.append(contentsOf: UnsafeRawBufferPointer(start: base + index, count: segmentLength)
                    .assumingMemoryBound(to: UInt8.self))
                return
            }

            let dispatch: Bool
            if lineBuffer.isEmpty {
                guard segmentLength <= maxLineBytes else {
                    throw StreamDecodingError.lineTooLong(limit: maxLineBytes)
                }
                dispatch = processLine(UnsafeRawBufferPointer(start: base + index, count: segmentLength))
            } else {
                guard lineBuffer.count + segmentLength <= maxLineBytes else {
                    throw StreamDecodingError.lineTooLong(limit: maxLineBytes)
                }
                lineBuffer.append(contentsOf: UnsafeRawBufferPointer(start: base + index, count: segmentLength)
                    .assumingMemoryBound(to: UInt8.self))
                dispatch = processBufferedLine()
            }

            if bytes[lineEnd] == Self.carriageReturn {
                if lineEnd + 1 < count {
                    index = bytes[lineEnd + 1] == Self.lineFeed ? lineEnd + 2 : lineEnd + 1
                } else {
                    skipLeadingLineFeed = true
                    index = lineEnd + 1
                }
            } else {
                index = lineEnd + 1
            }

            // Each line is bounded, and so is an event made of many `data:` lines.
            if dataBuffer.count > maxLineBytes {
                throw StreamDecodingError.eventTooLarge(limit: maxLineBytes)
            }
            if dispatch { try dispatchBorrowed(onEvent) }
        }
    }

    /// Ends the stream and returns the event that was still being built, if it has data.
    ///
    /// The spec discards an event not followed by a blank line; a benchmark wants to know about a
    /// server that stopped mid-event, so this returns it (including a final unterminated `data:`
    /// line) and leaves the decision to the caller. Afterwards the decoder is ready for a new
    /// stream (byte counters are kept).
    public mutating func finish() -> SSEEvent? {
        if !byteOrderMarkResolved { restorePartialByteOrderMark() }
        if !lineBuffer.isEmpty { _ = processBufferedLine() }
        let event = takeEvent()
        lineBuffer.removeAll(keepingCapacity: true)
        skipLeadingLineFeed = false
        byteOrderMarkMatched = 0
        byteOrderMarkResolved = false
        return event
    }

    // MARK: - Parsing

    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let colon: UInt8 = 0x3A
    private static let space: UInt8 = 0x20
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private static func find(_ byte: UInt8, _ start: UnsafeRawPointer, _ length: Int) -> Int? {
        guard length > 0, let found = memchr(start, Int32(byte), length) else { return nil }
        return start.distance(to: UnsafeRawPointer(found))
    }

    /// The stream started with part of a BOM and then diverged: those bytes were content.
    private mutating func restorePartialByteOrderMark() {
        lineBuffer.append(contentsOf: Self.byteOrderMark[..<byteOrderMarkMatched])
        byteOrderMarkMatched = 0
        byteOrderMarkResolved = true
    }

    /// Processes and empties `lineBuffer`; moved out first so the line can be read while the
    /// event state is mutated, and moved back so its capacity is reused.
    private mutating func processBufferedLine() -> Bool {
        var line: [UInt8] = []
        swap(&line, &lineBuffer)
        let dispatch = line.withUnsafeBytes { processLine($0) }
        line.removeAll(keepingCapacity: true)
        swap(&line, &lineBuffer)
        return dispatch
    }

    /// Applies one line (without terminator) to the event being built; true for a blank line,
    /// which dispatches the event.
    private mutating func processLine(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let first = line.first else { return true }
        if first == Self.colon {
            commentCount += 1
            return false
        }
        let name: UnsafeRawBufferPointer
        var value = UnsafeRawBufferPointer(start: nil, count: 0)
        if let colonIndex = line.firstIndex(of: Self.colon) {
            name = UnsafeRawBufferPointer(rebasing: line[..<colonIndex])
            var valueStart = colonIndex + 1
            if valueStart < line.count, line[valueStart] == Self.space { valueStart += 1 }
            value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        } else {
            name = line
        }

        if name.count == 4 && memcmp(name.baseAddress!, "data", 4) == 0 {
            if hasData { dataBuffer.append(Self.lineFeed) }
            dataBuffer.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
            hasData = true
        } else if name.count == 5 && memcmp(name.baseAddress!, "event", 5) == 0 {
            eventName.removeAll(keepingCapacity: true)
            eventName.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
        }
        // `id`, `retry` and unknown fields are ignored.
        return false
    }

    /// Hands the pending event (if it has data) to `onEvent` in place, then resets the event state.
    private mutating func dispatchBorrowed(_ onEvent: (_ name: UnsafeRawBufferPointer?, _ data: UnsafeRawBufferPointer) throws -> Void) throws {
        defer {
            dataBuffer.removeAll(keepingCapacity: true)
            eventName.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return }
        try dataBuffer.withUnsafeBytes { data in
            if eventName.isEmpty {
                try onEvent(nil, data)
            } else {
                try eventName.withUnsafeBytes { try onEvent($0, data) }
            }
        }
    }

    /// Builds the pending event (nil when no `data:` line was seen) and resets the event state.
    private mutating func takeEvent() -> SSEEvent? {
        defer {
            dataBuffer.removeAll(keepingCapacity: true)
            eventName.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return nil }
        // An exact-size copy, so `dataBuffer` keeps its grown capacity for the next event.
        let data = dataBuffer.withUnsafeBufferPointer { [UInt8]($0) }
        let name = eventName.isEmpty ? nil : String(decoding: eventName, as: UTF8.self)
        return SSEEvent(name: name, data: data)
    }
}
