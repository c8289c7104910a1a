/// The help texts: what each command does, its options with defaults, and examples.
enum HelpText {
    static let overview = """
        chatbench — benchmark and regression-test chat-completion servers (Ollama, vLLM, llama.cpp, OpenAI)

        Usage:
          chatbench run PROMPTS.jsonl [options]   run a prompt set, write reports, print a summary
          chatbench mock [--port 8000] [PROFILE]  serve the simulated OpenAI-compatible server
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
        writes results.jsonl (as results land), results.csv and summary.json to the run folder.

        Target:
          --base-url URL             API base (default http://localhost:11434/v1, Ollama; env
                                     CHATBENCH_BASE_URL, OPENAI_BASE_URL or OLLAMA_HOST)
          --model NAME               model for prompts that do not name one (checked against /models;
                                     if omitted and the server has exactly one model, that one)
          --api-key KEY              sent as a Bearer token (env OPENAI_API_KEY); never written anywhere
          --header 'Name: value'     extra request header (repeatable)
          --mock[=PROFILE]           start the built-in simulated server and run against it; PROFILE like
                                     ttft=200ms,itl=20ms,tokens=64,jitter=0.1,seed=7,usage=off
          --api openai               the wire protocol (openai)

        Request defaults (a prompt line's own fields win):
          --max-tokens N   --temperature T   --seed N

        Load:
          --mode stream|non-stream|both   (default stream)
          --concurrency N            most requests in flight at once (default 1)
          --repeat K                 send each prompt K times (default 1)
          --requests N               send N requests in total, cycling through the prompts

        Timeouts (each failure is recorded as its own outcome; 500ms, 30s, 5m):
          --connect-timeout D        TCP connect (default 10s)
          --first-token-timeout D    from the request to the first token (default 5m: a cold model
                                     can take minutes to load); streaming only
          --idle-timeout D           longest silence after the first token (default 60s)
          --timeout D                whole request (default 10m)

        Input and output:
          --skip-invalid             report bad prompt lines and run the valid ones (default: stop)
          --out DIR                  run folder (default reports/<UTC time>-<prompt set>; never overwritten)
          --json                     print summary.json to stdout instead of the table
          --quiet                    print nothing but errors
          --no-progress              no live progress line

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
          chatbench run prompts/regression.jsonl --mock --threshold 'ttft.p95<500ms' --baseline reports/good-run
        """

    static let mockUsage = "Usage: chatbench mock [--port 8000] [PROFILE]   (chatbench help mock)"

    static let mock = """
        Usage: chatbench mock [--port 8000] [PROFILE]

        Serves a simulated OpenAI-compatible server on 127.0.0.1: GET /v1/models and
        POST /v1/chat/completions, streaming (SSE, role-only first chunk, a chunk per token, usage
        when stream_options.include_usage is set, [DONE]) and non-streaming. Answers are
        deterministic; Chinese prompts get Chinese answers. Runs until Ctrl-C.

        PROFILE is comma-separated key=value (defaults in brackets):
          ttft=D       time to first token [50ms]
          itl=D        time between tokens [5ms]
          tokens=N     tokens per answer; max_tokens cuts it short with finish_reason length [48]
          jitter=F     scale each delay by a uniform factor in 1±F, seeded [0]
          seed=N       jitter seed [1]
          usage=on|off whether usage is reported [on]
          model=NAME   the model it lists and answers as [mock-model]
          arithmetic=right|wrong  "What is A + B?" is answered with the number; wrong adds one,
                       to see a regression suite fail [right]

        Examples:
          chatbench mock --port 8000 ttft=200ms,itl=20ms,tokens=128
          chatbench run prompts/smoke.jsonl --base-url http://127.0.0.1:8000/v1
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
