/// The https:// transport. URLSession is the only TLS in the toolchain on Linux.
func makeTLSTransport(_ endpoint: Endpoint, concurrency: Int) throws -> any HTTPTransport {
    throw TransportFailure(.connectError, "https:// targets are not supported yet; use http:// (e.g. a local TLS-terminating proxy)")
}
