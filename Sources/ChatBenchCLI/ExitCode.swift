/// The process exit codes, one meaning each (DESIGN: "Exit codes").
public enum ExitCode: Int32, Sendable {
    /// Ran, and every check passed.
    case success = 0
    /// A check, assertion or threshold failed.
    case checksFailed = 1
    /// Usage error or invalid input (bad flag, bad prompt file).
    case usage = 2
    /// The target could not be used at all (unreachable, wrong model).
    case targetUnusable = 3
    /// Interrupted; partial reports were still written.
    case interrupted = 130
}
