/// The help texts: what each command does, its options with defaults, and examples.
enum HelpText {
    static let overview = """
        chatbench — benchmark and regression-test chat-completion servers (Ollama, vLLM, llama.cpp, OpenAI)

        Usage:
          chatbench run PROMPTS.jsonl [options]   run a prompt set, write reports, print a summary
          chatbench mock [--port 8000] [PROFILE]  serve the simulated OpenAI-compatible server
          chatbench calibrate [--levels 1,16,64]  measure this machine's own ceiling and timing error
          chatbench report RUN_DIR|results.jsonl  rebuild a run's reports from its results.jsonl
          chatbench merge DIR... --out DIR        merge the shard folders of a distributed run
          chatbench compare BASE NEW              compare two runs; exit 1 when NEW regressed
          chatbench help COMMAND                  options and examples for a command
          chatbench --version

        Try it with no server at all:
          chatbench run prompts/smoke.jsonl --mock
        """

    static let runUsage = "Usage: chatbench run PROMPTS.jsonl [--base-url URL] [--model NAME] [--mock[=PROFILE]] [--concurrency N] [options]   (chatbench help run)"

    static let run = """
        Usage: chatbench run PROMPTS.jsonl [options]

        Sends every prompt of a JSONL prompt set to an OpenAI-compatible /chat/completions endpoint,
        measures each request (TTFT, inter-token latency, end-to-end time, tokens, finish_reason) and
        writes results.jsonl and results.csv as results land, then summary.json and the other reports.

        Target:
          --base-url URL             API base (default http://localhost:11434/v1, Ollama; env
                                     CHATBENCH_BASE_URL, OPENAI_BASE_URL or OLLAMA_HOST)
          --model NAME               model for prompts that do not name one (checked against /models,
                                     or /api/tags with --api ollama;
                                     if omitted and the server has exactly one model, that one)
          --api-key KEY              sent as a Bearer token (env OPENAI_API_KEY); never written anywhere
          --header 'Name: value'     extra request header (repeatable)
          --mock[=PROFILE]           start the built-in simulated server and run against it; PROFILE like
                                     ttft=200ms,itl=20ms,tokens=64,jitter=0.1,seed=7,usage=off, or a
                                     preset (ollama, vllm, llamacpp, buffered) then overrides: vllm,chunk=4
          --api openai|ollama        the wire protocol (default openai); ollama speaks Ollama's native
                                     /api/chat at the host root and records its server-side timings
          --think true|false|low|medium|high
                                     (--api ollama) sent as "think" unless a prompt line sets it
          --keep-alive D             (--api ollama) sent as "keep_alive": 10m, 0 (unload after each
                                     request), -1 (keep loaded)
          --ca-cert FILE, --insecure not available: https:// uses the toolchain's TLS, which trusts only
                                     the system CA store. Add the CA there (update-ca-certificates) or
                                     put a TLS proxy next to chatbench and use http:// (README: HTTPS)

        Request defaults (a prompt line's own fields win):
          --max-tokens N   --temperature T   --seed N

        Load (closed loop unless --rate):
          --mode stream|non-stream|both   (default stream; both = paired comparison)
          --concurrency N            most requests in flight at once (default 1; with --rate, a cap)
          --repeat K                 send each prompt K times (default 1)
          --requests N               send N requests in total, cycling through the prompts
          --rate R                   open loop: R requests per second on a schedule
          --arrival constant|poisson|gamma   (default constant)  --burstiness B  (gamma shape)
          --duration D               release requests for D, cycling through the prompts
          --grace D                  after --duration, time for requests in flight (default 30s)
          --warmup N|D               requests (or time) run first and left out of the figures
          --sweep concurrency=1,2,4 | rate=1,2,4   one sub-run per level, with a combined table
          --schedule-seed N          seeds arrivals and the pair order (default 1)

        Timeouts (each failure is recorded as its own outcome; 500ms, 30s, 5m):
          --connect-timeout D        TCP connect (default 10s)
          --first-token-timeout D    from the request to the first token (default 5m: a cold model
                                     can take minutes to load); streaming only
          --idle-timeout D           longest silence after the first token (default 60s)
          --timeout D                whole request (default 10m)

        Retries (each attempt is recorded; statistics use the final one):
          --retries N                send a request again after 429, 503 or a failed connection,
                                     up to N more times (default 0)
          --retry-backoff D          wait before the first retry, doubled each time (default 500ms);
                                     a server's Retry-After replaces it
          --retry-max-wait D         longest wait before a retry, Retry-After included (default 30s)

        Input and output:
          --skip-invalid             report bad prompt lines and run the valid ones (default: stop)
          --out DIR                  run folder (default reports/<UTC time>-<prompt set>; never overwritten)
          --json                     print summary.json to stdout instead of the table
          --quiet                    print nothing but errors
          --no-progress              no live progress line (it is only drawn when stderr is a terminal)

        Distributed runs (merge the folders with chatbench merge):
          --shard I/N                make only slice I of N of the requests (0 <= I < N): requests
                                     I, I+N, I+2N, ... of the plan
          --shards N                 the same, with I from JOB_COMPLETION_INDEX (Kubernetes Indexed Job)

        Checks (a prompt line's "expect" asserts on each answer; any check makes the run a test):
          --threshold EXPR           limit on a summary figure, repeatable: 'ttft.p95<800ms',
                                     'stream.e2e.p50<=2s', 'error_rate<1%', 'finish_reason.length<=5%',
                                     'decode_tps.p50>20'  (form: [stream.|non-stream.]METRIC[.STAT] OP VALUE[ms|s|%])
          --thresholds-file FILE     one threshold per line (# comments)
          --pass-rate F              fraction of a prompt's repetitions an assertion must pass on
                                     (default 1.0: every one; 0.8 or 80%)
          --baseline RUN             compare with an earlier run (its folder or results.jsonl);
                                     a latency regression or an assertion pass -> fail fails the run
          --tolerance F              latency changes within this are never regressions (default 10%)
          --bootstrap-seed N         seed of the bootstrap behind the baseline verdicts (default 1)
          --junit FILE               JUnit XML (default: junit.xml in the run folder when there are checks)
          With $GITHUB_STEP_SUMMARY set, summary.md is appended to it.

        Exit codes: 0 ok · 1 a check failed · 2 usage or invalid input · 3 target unusable · 130 interrupted

        Examples:
          chatbench run prompts/smoke.jsonl --mock
          chatbench run prompts/smoke.jsonl --model deepseek-r1:1.5b --concurrency 4
          chatbench run prompts/smoke.jsonl --base-url http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-0.5B --mode both --repeat 5
          chatbench run prompts/smoke.jsonl --mock=ttft=200ms,itl=20ms --concurrency 64 --requests 640
          chatbench run prompts/smoke.jsonl --model llama3.2 --rate 5 --arrival poisson --duration 2m --warmup 5
          chatbench run prompts/smoke.jsonl --model llama3.2 --sweep concurrency=1,2,4,8 --repeat 3
          chatbench run prompts/smoke.jsonl --api ollama --model deepseek-r1:1.5b --think true
          chatbench run prompts/smoke.jsonl --mock=ollama --api ollama
          chatbench run prompts/regression.jsonl --mock --threshold 'ttft.p95<500ms' --baseline reports/good-run
        """

    static let calibrate = """
        Usage: chatbench calibrate [options]

        Drives the client against the in-process mock server at rising concurrency with a fixed
        time to first token and token cadence, and compares what the client measured with what the
        mock did (both stamp the same monotonic clock). Per level: events/s achieved and asked for,
        client CPU per streamed event (the mock's thread excluded), peak RSS, and the error of TTFT
        and of inter-token gaps. Ends with "this machine measures TTFT within X ms up to N streams".

          --levels 1,16,64,256,1024   concurrency levels (default)
          --ttft D                    mock time to first token (default 200ms)
          --itl D                     mock time between tokens (default 20ms: 50 tokens/s per stream)
          --tokens N                  tokens per answer (default 50)
          --requests-per-stream K     requests per stream slot; the first is cold (default 2)
          --base-url URL              drive an external server with this cadence instead
                                      (e.g. `chatbench mock` elsewhere); errors are then measured
                                      against the configured cadence
          --json                      print the levels as JSON

        Examples:
          chatbench calibrate
          chatbench calibrate --levels 1,64,256 --json
          chatbench calibrate --base-url https://localhost:8443/v1 --levels 1,4,16,32   (a TLS front before `chatbench mock`)
        """

    static let mockUsage = "Usage: chatbench mock [--port 8000] [PROFILE]   (chatbench help mock)"

    static let mock = """
        Usage: chatbench mock [--port 8000] [PROFILE]

        Serves a simulated OpenAI-compatible server on 127.0.0.1: GET /v1/models and
        POST /v1/chat/completions, streaming (SSE, role-only first chunk, a chunk per token, usage
        when stream_options.include_usage is set, [DONE]) and non-streaming; and Ollama's native
        GET /api/tags and POST /api/chat (NDJSON, "thinking", a final object with timings). Answers are
        deterministic; Chinese prompts get Chinese answers. Runs until Ctrl-C.

        PROFILE is comma-separated key=value (defaults in brackets):
          ttft=D       time to first token [50ms]
          itl=D        time between tokens [5ms]
          tokens=N     tokens per answer; max_tokens cuts it short with finish_reason length [48]
          jitter=F     scale each delay by a uniform factor in 1±F, seeded [0]
          seed=N       jitter seed [1]
          usage=on|off whether usage is reported [on]
          model=NAME   the model it lists and answers as [mock-model]
          reasoning=N  tokens of reasoning before the answer (max_tokens counts them) [0]
          think=reasoning_content|reasoning|tags
                       how reasoning is sent: a delta field, or inline <think> tags [reasoning_content]
          reasoning_usage=on|off  report usage.completion_tokens_details.reasoning_tokens [off]
          chunk=N      tokens per streamed chunk [1]
          empty_deltas=on|off  interleave empty-content deltas [off]
          buffered=on|off      write the whole stream at once at the end [off]
          load=D       the first chat request waits D for the model to load (Ollama load_duration) [0]
          arithmetic=right|wrong  "What is A + B?" is answered with the number; wrong adds one,
                       to see a regression suite fail [right]
          fault=NAME   misbehave on chat requests, e.g. http-429, reset-mid-stream, stall-mid-stream
                       (all names: README "Failures and outcomes"); per request: header
                       X-Mock-Fault: NAME, or "metadata": {"mock_fault": "NAME"} on a prompt line
          fault-count=N  only the first N chat requests get the fault [all]
          retry-after=S  seconds sent in Retry-After with http-429 and http-503 [1]

        Presets (ttft=60ms,itl=8ms,tokens=32 plus the below), named first, overridable (vllm,ttft=100ms):
          ollama     model=deepseek-r1:1.5b, reasoning=24, think=reasoning, load=1s
          vllm       ttft=40ms, reasoning=24, think=reasoning_content, reasoning_usage=on
          llamacpp   usage=off (even when asked), empty_deltas=on
          buffered   buffered=on

        Examples:
          chatbench mock --port 8000 ttft=200ms,itl=20ms,tokens=128
          chatbench run prompts/smoke.jsonl --base-url http://127.0.0.1:8000/v1
        """

    static let reportUsage = "Usage: chatbench report RUN_DIR|results.jsonl [--out DIR] [--quiet]   (chatbench help report)"

    static let report = """
        Usage: chatbench report RUN_DIR|results.jsonl [--out DIR] [--quiet]

        Rebuilds results.csv, summary.json, summary.md and report.html of a run (and pairs.csv and
        junit.xml where they apply) from its results.jsonl, reusing the manifest (target, options,
        checks, host) of the summary.json the run wrote. With unchanged results every file is
        byte-identical to the old one. Use it after editing or
        filtering results.jsonl, or to get the reports of a newer chatbench for an old run.

          --out DIR    write the reports to DIR instead of the run folder
          --quiet      print nothing but errors (default: the summary table)

        Example:
          chatbench report reports/20260101T120000Z-smoke
        """

    static let mergeUsage = "Usage: chatbench merge DIR... --out DIR [--json] [--quiet]   (chatbench help merge)"

    static let merge = """
        Usage: chatbench merge SHARD_DIR... --out DIR [--json] [--quiet]

        Combines the run folders of the shards of one distributed run (run --shard I/N or --shards N)
        into one run folder: results.jsonl in plan order on one time axis, and every report computed
        over all the records (exact percentiles, not an average of the shards' percentiles). Refuses
        folders of different prompt sets (sha256) or options, duplicate shards, and folders that are
        not shards; warns when shards are missing. Concurrency and max in flight are the shards' sum.

        Example:
          for i in 0 1 2; do chatbench run prompts/smoke.jsonl --mock --shard $i/3 --out runs/shard-$i; done
          chatbench merge runs/shard-* --out runs/merged
        """
}

extension HelpText {
    static let compareUsage = "Usage: chatbench compare BASE NEW [--tolerance 10%] [--pass-rate F] [--junit FILE]   (chatbench help compare)"

    static let compare = """
        Usage: chatbench compare BASE NEW [options]

        Compares two finished runs (run folders or their results.jsonl) figure by figure: every
        summary percentile side by side (base, new, delta, delta %), per mode. TTFT, e2e and
        TPOT at p50 and p95, and decode_tps at p50, get a verdict: "regressed" only when the change
        is beyond --tolerance (and at least 1 ms) and a seeded bootstrap 95% interval of the
        difference (2000 resamples of each run's requests) excludes zero; "improved" the other way;
        otherwise "no significant change". Per prompt it lists assertions that flipped
        (pass -> fail is a regression) and, where both runs used temperature 0, changed answers.

        Options:
          --tolerance F              latency changes within this are never regressions (default 10%)
          --pass-rate F              fraction of repetitions an assertion must pass on (default 1.0)
          --bootstrap-seed N         bootstrap seed (default 1): the same runs always get the same verdict
          --junit FILE               write the verdicts as JUnit XML
          --quiet                    print nothing; the exit code says it
          With $GITHUB_STEP_SUMMARY set, the comparison is appended to it in Markdown.

        Exit codes: 0 no regression · 1 regressed · 2 usage error or unreadable run

        Examples:
          chatbench compare reports/20250101T000000Z-regression reports/20250102T000000Z-regression
          chatbench compare base/results.jsonl new/results.jsonl --tolerance 5%
        """
}
