/// What chatbench can and cannot do about certificate trust for `https://` targets, and the
/// words it uses to say so. The findings behind it are at the top of URLSessionTransport.swift:
/// FoundationNetworking on Linux (libcurl underneath) reads only the system CA store and never
/// asks the delegate about server trust, so neither an extra CA nor skipping verification can be
/// done from inside the process.
public enum TLSTrust {
    /// The start of every transport failure detail that came from the TLS layer, so callers can
    /// drop hints that do not apply (a TLS failure means the server *is* running).
    public static let detailPrefix = "TLS: "

    /// The two ways to benchmark a server whose certificate the system store does not trust.
    public static let workarounds = """
        add the server's CA to the system store (as root: cp ca.crt /usr/local/share/ca-certificates/ && update-ca-certificates), \
        or terminate TLS next to chatbench (a local reverse proxy such as nginx, caddy or stunnel) and point --base-url at its http:// address
        """

    /// Why `--ca-cert` / `--insecure` are refused, or nil when neither was given. The flags stay
    /// documented so that a user reaching for them learns the workaround instead of "unknown option".
    public static func unsupportedFlagsMessage(caCert: String?, insecure: Bool) -> String? {
        var flags: [String] = []
        if caCert != nil { flags.append("--ca-cert") }
        if insecure { flags.append("--insecure") }
        guard !flags.isEmpty else { return nil }
        let named = flags.joined(separator: " and ")
        return """
            \(named) cannot be honoured: chatbench's https:// goes through the toolchain's TLS \
            (FoundationNetworking over libcurl), which reads only the system CA store and offers no way to add a CA \
            or to skip certificate verification. Instead, \(workarounds).
            """
    }

    /// The detail for a failed TLS handshake: libcurl's own words, the host, and for certificate
    /// problems what to do about them.
    static func failureDetail(_ text: String, host: String) -> String {
        var detail = "\(detailPrefix)\(text) (host \(host))"
        let lowered = text.lowercased()
        if lowered.contains("certificate") || lowered.contains("issuer") || lowered.contains("verify") {
            detail += ". chatbench trusts only the system CA store (--ca-cert and --insecure cannot work with the toolchain's TLS); to benchmark this server, \(workarounds)"
        }
        return detail
    }
}
