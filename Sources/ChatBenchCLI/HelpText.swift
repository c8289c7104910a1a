/// The help texts: what each command does, its options with defaults, and examples.
enum HelpText {
    static let overview = """
        chatbench — benchmark and regression-test chat-completion servers (Ollama, vLLM, llama.cpp, OpenAI)

        Usage:
          chatbench run PROMPTS.jsonl [options]   run a prompt set, write reports, print a summary
          chatbench mock [--port 8000] [PROFILE]  serve the simulated OpenAI-compatible server
          chatbench calibrate [--levels 1,16,64]  measure this machine's own ceiling and timing error
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

        Input and output:
          --skip-invalid             report bad prompt lines and run the valid ones (default: stop)
          --out DIR                  run folder (default reports/<UTC time>-<prompt set>; never overwritten)
          --json                     print summary.json to stdout instead of the table
          --quiet                    print nothing but errors
          --no-progress              no live progress line

        Exit codes: 0 ok · 1 a check failed · 2 usage or invalid input · 3 target unusable · 130 interrupted

        Examples:
          chatbench run prompts/smoke.jsonl --mock
          chatbench run prompts/smoke.jsonl --model deepseek-r1:1.5b --concurrency 4
          chatbench run prompts/smoke.jsonl --base-url http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-0.5B --mode both --repeat 5
          chatbench run prompts/smoke.jsonl --mock=ttft=200ms,itl=20ms --concurrency 64 --requests 640
          chatbench run prompts/smoke.jsonl --model llama3.2 --rate 5 --arrival poisson --duration 2m --warmup 5
          chatbench run prompts/smoke.jsonl --model llama3.2 --sweep concurrency=1,2,4,8 --repeat 3
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

        Examples:
          chatbench mock --port 8000 ttft=200ms,itl=20ms,tokens=128
          chatbench run prompts/smoke.jsonl --base-url http://127.0.0.1:8000/v1
        """
}
