/// `junit.xml`: the checks in the JUnit XML shape that GitHub, GitLab and Jenkins read. One
/// test suite per prompt set and mode (a test case per prompt assertion), one for thresholds,
/// one for the baseline comparison; a failure carries its reason.
public enum JUnitReport {
    public static func render(_ report: CheckReport) -> String {
        var suites: [(name: String, cases: [TestCase])] = []
        for mode in RequestMode.allCases {
            let outcomes = report.assertions.filter { $0.mode == mode }
            guard !outcomes.isEmpty else { continue }
            let suite = "\(report.suiteName).\(mode.rawValue)"
            suites.append((suite, outcomes.map { outcome in
                var failure: String?
                if !outcome.passed {
                    failure = outcome.reason
                    if !outcome.failedIndexes.isEmpty {
                        failure! += "\nfailed requests (index in results.jsonl): " + outcome.failedIndexes.map(String.init).joined(separator: ", ")
                    }
                }
                return TestCase(className: suite, name: "\(outcome.prompt) \(outcome.name)", type: "assertion",
                                message: outcome.passed ? nil : outcome.reason, detail: failure)
            }))
        }
        if !report.thresholds.isEmpty {
            let suite = "\(report.suiteName).thresholds"
            suites.append((suite, report.thresholds.map { result in
                TestCase(className: suite, name: result.expression, type: "threshold",
                         message: result.passed ? nil : result.reason, detail: result.passed ? nil : result.reason)
            }))
        }
        if let comparison = report.comparison {
            let suite = "\(report.suiteName).baseline"
            var cases: [TestCase] = comparison.rows.compactMap { row in
                guard let verdict = row.verdict else { return nil }
                let reason = ChecksMarkdownReport.describe(row)
                return TestCase(className: suite, name: "\(row.mode) \(row.metric)", type: "baseline",
                                message: verdict == .regressed ? reason : nil,
                                detail: verdict == .regressed ? "\(reason)\nbaseline: \(comparison.baseLabel)" : nil)
            }
            for flip in comparison.flips {
                let message = flip.isRegression ? "passed in the baseline, fails now: \(flip.reason)" : nil
                cases.append(TestCase(className: suite, name: "\(flip.prompt) \(flip.check) (\(flip.mode.rawValue)) vs baseline",
                                      type: "baseline", message: message, detail: message))
            }
            suites.append((suite, cases))
        }

        let total = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.cases.filter { $0.message != nil }.count }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"chatbench\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"0\">\n"
        for suite in suites {
            let suiteFailures = suite.cases.filter { $0.message != nil }.count
            xml += "  <testsuite name=\"\(escapeXML(suite.name, attribute: true))\" tests=\"\(suite.cases.count)\" failures=\"\(suiteFailures)\" errors=\"0\" skipped=\"0\">\n"
            for test in suite.cases {
                let open = "    <testcase classname=\"\(escapeXML(test.className, attribute: true))\" name=\"\(escapeXML(test.name, attribute: true))\""
                if let message = test.message {
                    xml += open + ">\n"
                    xml += "      <failure message=\"\(escapeXML(message, attribute: true))\" type=\"\(test.type)\">\(escapeXML(test.detail ?? message))</failure>\n"
                    xml += "    </testcase>\n"
                } else {
                    xml += open + "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private struct TestCase {
        var className: String
        var name: String
        var type: String
        /// nil: passed.
        var message: String?
        var detail: String?
    }
}
