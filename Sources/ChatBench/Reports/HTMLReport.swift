/// report.html placeholder.
public enum HTMLReport {
    public static func render(manifest: RunManifest, results: [RequestResult]) -> String { "" }
}
