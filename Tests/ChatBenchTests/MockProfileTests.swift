import Testing

@testable import ChatBench

@Suite struct MockProfileTests {
    @Test func defaults() {
        let profile = MockProfile()
        #expect(profile.timeToFirstToken == 50_000_000)
        #expect(profile.interTokenLatency == 5_000_000)
        #expect(profile.tokens == 48)
        #expect(profile.jitter == 0)
        #expect(profile.seed == 1)
        #expect(profile.sendsUsage)
        #expect(profile.model == "mock-model")
        #expect(MockProfile.standard == profile)
    }

    @Test(arguments: ["", "default"])
    func emptyOrDefaultGivesTheStandardProfile(text: String) throws {
        #expect(try MockProfile.parse(text) == MockProfile.standard)
    }

    @Test func everyKey() throws {
        let profile = try MockProfile.parse("ttft=200ms,itl=20ms,tokens=64,jitter=0.1,seed=7,usage=off,model=llama3:8b")
        #expect(profile.timeToFirstToken == 200_000_000)
        #expect(profile.interTokenLatency == 20_000_000)
        #expect(profile.tokens == 64)
        #expect(profile.jitter == 0.1)
        #expect(profile.seed == 7)
        #expect(!profile.sendsUsage)
        #expect(profile.model == "llama3:8b")
    }

    @Test func eachKeyAloneChangesOnlyItsField() throws {
        var expected = MockProfile.standard
        expected.timeToFirstToken = 1_500_000_000
        #expect(try MockProfile.parse("ttft=1.5s") == expected)

        expected = MockProfile.standard
        expected.interTokenLatency = 800_000
        #expect(try MockProfile.parse("itl=800us") == expected)

        expected = MockProfile.standard
        expected.tokens = 0
        #expect(try MockProfile.parse("tokens=0") == expected)

        expected = MockProfile.standard
        expected.jitter = 1
        #expect(try MockProfile.parse("jitter=1") == expected)

        expected = MockProfile.standard
        expected.seed = UInt64.max
        #expect(try MockProfile.parse("seed=18446744073709551615") == expected)

        expected = MockProfile.standard
        expected.sendsUsage = true
        #expect(try MockProfile.parse("usage=on") == expected)
        #expect(try MockProfile.parse("usage=off") != expected)

        expected = MockProfile.standard
        expected.model = "qwen2.5=7b"  // only the first = splits
        #expect(try MockProfile.parse("model=qwen2.5=7b") == expected)
    }

    @Test func spacesAroundKeysAndValuesAndEmptyPairsAreIgnored() throws {
        let profile = try MockProfile.parse(" ttft = 10ms , tokens= 3,,")
        #expect(profile.timeToFirstToken == 10_000_000)
        #expect(profile.tokens == 3)
        #expect(profile.interTokenLatency == MockProfile.standard.interTokenLatency)
    }

    @Test func laterValuesWin() throws {
        #expect(try MockProfile.parse("tokens=3,tokens=9").tokens == 9)
    }

    @Test func descriptionParsesBackToTheSameProfile() throws {
        let profiles = [
            MockProfile.standard,
            MockProfile(timeToFirstToken: 2_000_000_000, interTokenLatency: 800_000, tokens: 5, jitter: 0.25, seed: 42,
                        sendsUsage: false, model: "m"),
            MockProfile(timeToFirstToken: 1_500_000_000, interTokenLatency: 7, tokens: 0, jitter: 1, seed: 0),
        ]
        for profile in profiles {
            #expect(try MockProfile.parse(profile.description) == profile, "\(profile)")
        }
        #expect(MockProfile.standard.description == "ttft=50ms,itl=5ms,tokens=48,jitter=0.0,seed=1,usage=on,model=mock-model")
    }

    @Test func unknownKeyNamesTheKnownKeys() throws {
        let error = #expect(throws: MockProfileError.unknownKey("latency")) {
            _ = try MockProfile.parse("ttft=1s,latency=5ms")
        }
        let description = try #require(error).description
        #expect(description.contains("latency"))
        for key in ["ttft", "itl", "tokens", "jitter", "seed", "usage", "model"] {
            #expect(description.contains(key), "known keys should include \(key)")
        }
        #expect(throws: MockProfileError.unknownKey("TTFT")) { _ = try MockProfile.parse("TTFT=1s") }
    }

    @Test(arguments: [
        ("ttft=fast", "ttft", "fast"),
        ("ttft=-1s", "ttft", "-1s"),
        ("itl=10 parsecs", "itl", "10 parsecs"),
        ("tokens=-1", "tokens", "-1"),
        ("tokens=1.5", "tokens", "1.5"),
        ("tokens=many", "tokens", "many"),
        ("jitter=1.5", "jitter", "1.5"),
        ("jitter=-0.1", "jitter", "-0.1"),
        ("jitter=nan", "jitter", "nan"),
        ("jitter=lots", "jitter", "lots"),
        ("seed=-1", "seed", "-1"),
        ("seed=18446744073709551616", "seed", "18446744073709551616"),
        ("usage=yes", "usage", "yes"),
        ("usage=ON", "usage", "ON"),
    ])
    func badValues(text: String, key: String, value: String) {
        #expect(throws: MockProfileError.badValue(key, value)) {
            _ = try MockProfile.parse(text)
        }
    }

    @Test(arguments: [("tokens=3,itl", "itl"), ("=5", "=5"), ("model=", "model=")])
    func pairsWithoutAValueAreMalformed(text: String, pair: String) {
        #expect(throws: MockProfileError.malformed(pair)) {
            _ = try MockProfile.parse(text)
        }
    }

    @Test func aLeadingBareWordIsAPresetName() {
        // `ttft` alone could be a forgotten value or a preset: the message names the presets and the form.
        #expect(throws: MockProfileError.unknownPreset("ttft")) { _ = try MockProfile.parse("ttft") }
        #expect(throws: Never.self) { _ = try MockProfile.parse("vllm,ttft=100ms") }
    }

    @Test func errorDescriptionsQuoteTheOffendingText() {
        #expect(MockProfileError.malformed("ttft").description.contains("key=value"))
        #expect(MockProfileError.malformed("ttft").description.contains("\"ttft\""))
        let bad = MockProfileError.badValue("jitter", "2").description
        #expect(bad.contains("jitter"))
        #expect(bad.contains("\"2\""))
    }

    // MARK: Durations

    @Test(arguments: [
        ("250ms", 250_000_000 as UInt64),
        ("1.5s", 1_500_000_000),
        ("2m", 120_000_000_000),
        ("800us", 800_000),
        ("800µs", 800_000),
        ("3", 3_000_000_000),
        ("0.5", 500_000_000),
        ("1h", 3_600_000_000_000),
        ("42ns", 42),
        ("0ms", 0),
        ("0", 0),
        (" 20ms ", 20_000_000),
    ])
    func parsesDurations(text: String, nanoseconds: UInt64) {
        #expect(parseDuration(text) == nanoseconds)
    }

    @Test(arguments: ["abc", "-1s", "-1", "-5ms", "", "ms", "s", "1.5x", "10 s", "inf", "infs", "nan", "1e400s"])
    func rejectsBadDurations(text: String) {
        #expect(parseDuration(text) == nil)
    }

    @Test
    func decimalDurationsAreExact() {
        // MockProfile.swift, parseDuration: `UInt64(value * scale)` truncates 4.1 * 1e9 = 4099999999.9999995.
        #expect(parseDuration("4.1s") == 4_100_000_000)
        #expect(parseDuration("2.01s") == 2_010_000_000)
        #expect(parseDuration("32.3ms") == 32_300_000)
        #expect(parseDuration("1.001s") == 1_001_000_000)
    }

    @Test
    func hugeDurationsAreRejectedNotACrash() {
        // MockProfile.swift, parseDuration: `UInt64(value * scale)` traps when the product exceeds
        // UInt64.max (about 584 years), so `--mock ttft=1e12s` crashes chatbench.
        #expect(parseDuration("1e12s") == nil)
        #expect(parseDuration("99999999999h") == nil)
    }

    @Test(arguments: [
        (250_000_000 as UInt64, "250ms"),
        (1_000_000_000, "1s"),
        (2_000_000_000, "2s"),
        (1_500_000_000, "1.5s"),
        (1_250_000_000, "1.25s"),
        (60_000_000_000, "60s"),
        (800_000, "800us"),
        (1_500_000, "1500us"),
        (5_000_000, "5ms"),
        (999_000_000, "999ms"),
        (0, "0ms"),
        (7, "7ns"),
        (1_000_000_001, "1000000001ns"),
    ])
    func formatsDurations(nanoseconds: UInt64, text: String) {
        #expect(formatDuration(nanoseconds) == text)
    }

    @Test(arguments: [
        0, 1, 999, 1_000, 250_000, 800_000, 1_000_000, 5_000_000, 250_000_000, 999_000_000, 1_000_000_000,
        1_500_000_000, 1_250_000_000, 2_000_000_000, 3_000_000_000, 1_100_000_000, 60_000_000_000, 3_600_000_000_000,
    ] as [UInt64])
    func formatThenParseRoundTrips(nanoseconds: UInt64) {
        #expect(parseDuration(formatDuration(nanoseconds)) == nanoseconds)
    }

    @Test
    func formatThenParseRoundTripsForEveryWholeMillisecondUpToTenSeconds() {
        // formatDuration(4_100_000_000) == "4.1s", but parseDuration("4.1s") == 4_099_999_999 (see decimalDurationsAreExact).
        var failures: [UInt64] = []
        for ms in UInt64(0)...10_000 where parseDuration(formatDuration(ms * 1_000_000)) != ms * 1_000_000 {
            failures.append(ms)
        }
        #expect(failures.isEmpty, "\(failures.count) values fail, first: \(failures.prefix(5))")
    }
}
