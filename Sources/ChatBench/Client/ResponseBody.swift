/// The bytes of a response that a recorder keeps whole, bounded: an error body (its first
/// 64 KiB, for the server's message) or a non-streaming body (up to 64 MiB). Shared by the
/// OpenAI and Ollama recorders.
struct ResponseBody: Sendable {
    private(set) var bytes: [UInt8] = []
    static let errorLimit = 64 * 1024
    static let limit = 64 << 20

    /// Keeps the start of an error body; the rest says nothing more.
    mutating func appendError(_ chunk: UnsafeRawBufferPointer) {
        let room = Self.errorLimit - bytes.count
        if room > 0 { bytes.append(contentsOf: chunk.prefix(room)) }
    }

    /// Appends to a success body; false (and nothing kept) when it would pass the limit.
    mutating func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= Self.limit else { return false }
        bytes.append(contentsOf: chunk)
        return true
    }

    static var tooLarge: String { "response body larger than \(limit >> 20) MiB" }

    /// The first `count` bytes as text, quoted, for error details.
    func excerpt(_ count: Int = 200) -> String {
        String(decoding: bytes.prefix(count), as: UTF8.self).debugDescription
    }

    /// `HTTP 429 Too Many Requests: <the server's own message> (Retry-After: 5)`, with the raw
    /// start of the body when it holds no message we know; `messageFound` says which.
    func httpErrorDetail(head: HTTPResponseHead?) -> (detail: String, messageFound: Bool) {
        var detail = head.map { "HTTP \($0.status)\($0.reason.isEmpty ? "" : " \($0.reason)")" } ?? "HTTP error"
        var found = false
        if let json = try? JSONParser.parse(bytes), let message = ChatResponseRecorder.errorMessage(json) {
            detail += ": \(message)"
            found = true
        } else if !bytes.isEmpty {
            detail += ": \(String(decoding: bytes.prefix(300), as: UTF8.self))"
        }
        if let retry = head?.header("Retry-After") { detail += " (Retry-After: \(retry))" }
        return (detail, found)
    }
}
