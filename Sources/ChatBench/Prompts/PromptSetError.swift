/// One bad line of a prompt set, printed as `PATH:LINE:COL: message` so editors and CI can jump to it.
public struct PromptLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based line number in the file.
    public var line: Int
    /// 1-based column in Unicode scalars.
    public var column: Int
    public var message: String

    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(path):\(line):\(column): \(message)" }
}

/// Why a prompt set cannot be used; a run does not start with any of these.
public enum PromptSetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read (path, reason).
    case unreadable(String, String)
    /// The file holds no prompt lines (path).
    case empty(String)
    /// Every bad line at once, so they can all be fixed in one pass.
    case invalidLines([PromptLineError])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read prompt set \(path): \(reason)"
        case .empty(let path):
            return "\(path): no prompts found; add one JSON object per line, e.g. {\"prompt\": \"Hello\"}"
        case .invalidLines(let errors):
            return errors.map(\.description).joined(separator: "\n")
        }
    }
}
