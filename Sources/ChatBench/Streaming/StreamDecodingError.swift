/// Why a streamed response body could not be split into lines or events.
public enum StreamDecodingError: Error, Equatable, CustomStringConvertible {
    /// A single line grew past the decoder's bound; the stream is not line-delimited as expected
    /// (or is hostile), and buffering more of it would make memory use unbounded.
    case lineTooLong(limit: Int)
    /// One SSE event's `data:` lines together grew past the bound without a blank line.
    case eventTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .lineTooLong(let limit):
            return "a stream line exceeded \(Self.formatBytes(limit)) without a line break — "
                + "the server is not sending a line-delimited stream (SSE or NDJSON); "
                + "check the endpoint and the stream setting"
        case .eventTooLarge(let limit):
            return "one stream event grew past \(Self.formatBytes(limit)) of data lines without a blank line ending it"
        }
    }

    /// Keeps the message readable for the usual power-of-two limits (8 MiB) and exact otherwise.
    private static func formatBytes(_ count: Int) -> String {
        if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return count == 1 ? "1 byte" : "\(count) bytes"
    }
}
