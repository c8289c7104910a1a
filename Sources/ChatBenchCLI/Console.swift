#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes: stdout for results, stderr for everything a person reads along the way.
/// Tests pass closures that capture both.
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void

    /// Raw writes (no newline added) to stderr when it is a terminal, for the live progress line;
    /// nil when stderr is a file or pipe, so nothing is ever drawn there.
    public var terminal: Terminal?

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void, terminal: Terminal? = nil) {
        self.out = out
        self.err = err
        self.terminal = terminal
    }

    /// The process's own stdout and stderr, written with write(2) so nothing waits in a buffer at exit.
    public static let standard = Console(
        out: { writeAll(1, $0) }, err: { writeAll(2, $0) },
        terminal: isatty(2) == 1 ? Terminal(write: { writeAll(2, $0, newline: false) }, columns: { terminalColumns(2) }) : nil)
}

/// A terminal to redraw a status line on: raw writes and its current width.
public struct Terminal: Sendable {
    public var write: @Sendable (String) -> Void
    public var columns: @Sendable () -> Int?

    public init(write: @escaping @Sendable (String) -> Void, columns: @escaping @Sendable () -> Int? = { nil }) {
        self.write = write
        self.columns = columns
    }
}

private func terminalColumns(_ fd: Int32) -> Int? {
    var size = winsize()
    guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
}

private func writeAll(_ fd: Int32, _ text: String, newline: Bool = true) {
    var bytes = Array(text.utf8)
    if newline && bytes.last != 10 { bytes.append(10) }
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
    }
}
