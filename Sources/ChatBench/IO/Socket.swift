#if os(Linux)
import Glibc

/// A resolved socket address (IPv4 or IPv6), copied out of getaddrinfo so it is a plain value.
struct SocketAddress: Sendable, CustomStringConvertible {
    var storage: sockaddr_storage
    var length: socklen_t

    var family: Int32 { Int32(storage.ss_family) }

    var description: String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var port = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        var copy = storage
        let rc = withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), &port, socklen_t(port.count), NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard rc == 0 else { return "?" }
        let h = cStringText(host), p = cStringText(port)
        return family == AF_INET6 ? "[\(h)]:\(p)" : "\(h):\(p)"
    }

    /// Resolves `host:port` (blocking: done once per target before a run, never on the I/O thread).
    /// IPv4 results come first: Ollama listens on 127.0.0.1 only, while `localhost` often
    /// resolves to ::1 first.
    static func resolve(host: String, port: Int) throws(SocketError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let rc = getaddrinfo(bare, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .resolve(host: host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }
        var v4: [SocketAddress] = []
        var v6: [SocketAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            if let addr = entry.pointee.ai_addr {
                var storage = sockaddr_storage()
                let length = entry.pointee.ai_addrlen
                withUnsafeMutableBytes(of: &storage) { dst in
                    dst.copyMemory(from: UnsafeRawBufferPointer(start: addr, count: Int(length)))
                }
                let address = SocketAddress(storage: storage, length: length)
                if entry.pointee.ai_family == AF_INET6 { v6.append(address) } else { v4.append(address) }
            }
            node = entry.pointee.ai_next
        }
        let all = v4 + v6
        if all.isEmpty { throw .resolve(host: host, reason: "no addresses") }
        return all
    }

    static func loopbackIPv4(port: Int) -> SocketAddress {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { dst in
            withUnsafeBytes(of: &addr) { dst.copyMemory(from: $0) }
        }
        return SocketAddress(storage: storage, length: socklen_t(MemoryLayout<sockaddr_in>.size))
    }
}

/// Failures of socket set-up, with the system's own words.
enum SocketError: Error, CustomStringConvertible {
    case resolve(host: String, reason: String)
    case system(call: String, errno: Int32)

    var description: String {
        switch self {
        case .resolve(let host, let reason): "cannot resolve \(host): \(reason)"
        case .system(let call, let code): "\(call): \(errnoText(code))"
        }
    }
}

/// The text of a NUL-terminated C buffer.
func cStringText(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// Thin wrappers over the socket calls chatbench makes; all sockets are non-blocking and close-on-exec.
enum Socket {
    static func makeStream(family: Int32) throws(SocketError) -> Int32 {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .system(call: "socket", errno: errno) }
        var one: Int32 = 1
        // Tokens are tiny writes; Nagle would hold them back.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// Starts a non-blocking connect. Returns true when already connected, false when in progress.
    static func startConnect(_ fd: Int32, to address: SocketAddress) throws(SocketError) -> Bool {
        var storage = address.storage
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, address.length) }
        }
        if rc == 0 { return true }
        let code = errno
        if code == EINPROGRESS || code == EINTR { return false }
        throw .system(call: "connect", errno: code)
    }

    /// The pending error of a non-blocking connect (0 when it succeeded).
    static func pendingError(_ fd: Int32) -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        return code
    }

    /// A listening socket on 127.0.0.1 (port 0 = ephemeral). Returns the fd and the bound port.
    static func listenLoopback(port: Int, backlog: Int32 = 4096) throws(SocketError) -> (fd: Int32, port: Int) {
        let fd = try makeStream(family: AF_INET)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = SocketAddress.loopbackIPv4(port: port).storage
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            let code = errno
            close(fd)
            throw .system(call: "bind 127.0.0.1:\(port)", errno: code)
        }
        if listen(fd, backlog) != 0 {
            let code = errno
            close(fd)
            throw .system(call: "listen", errno: code)
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: bound.sin_port)))
    }
}
#endif
