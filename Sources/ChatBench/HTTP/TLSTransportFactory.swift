import Foundation

/// The https:// transport. URLSession is the only TLS in the toolchain on Linux; its limits
/// (one process-wide I/O queue, ~100 µs CPU per event) are in shared/notes/transport.md.
func makeTLSTransport(_ endpoint: Endpoint, concurrency: Int) throws -> any HTTPTransport {
    let shownHost = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
    guard let url = URL(string: "https://\(shownHost):\(endpoint.port)") else {
        throw TransportFailure(.connectError, "cannot form a URL for \(endpoint)")
    }
    return URLSessionTransport(baseURL: url, maxConnections: concurrency)
}
