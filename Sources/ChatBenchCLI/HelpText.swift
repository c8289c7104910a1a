/// The help texts: what each command does, its options with defaults, and examples.
enum HelpText {
    static let overview = """
        chatbench — benchmark and regression-test chat-completion servers (Ollama, vLLM, llama.cpp, OpenAI)

        Usage:
          chatbench run PROMPTS.jsonl [options]   run a prompt set, write reports, print a summary
          chatbench mock [--port 8000] [PROFILE]  serve the simulated OpenAI-compatible server
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

        Exit codes: 0 ok · 1 a check failed · 2 usage or invalid input · 3 target unusable · 130 interrupted

        Examples:
          chatbench run prompts/smoke.jsonl --mock
          chatbench run prompts/smoke.jsonl --model deepseek-r1:1.5b --concurrency 4
          chatbench run prompts/smoke.jsonl --base-url http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-0.5B --mode both --repeat 5
          chatbench run prompts/smoke.jsonl --mock=ttft=200ms,itl=20ms --concurrency 64 --requests 640
          chatbench run prompts/smoke.jsonl --api ollama --model deepseek-r1:1.5b --think true
          chatbench run prompts/smoke.jsonl --mock=ollama --api ollama
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

        Presets (ttft=60ms,itl=8ms,tokens=32 plus the below), named first, overridable (vllm,ttft=100ms):
          ollama     model=deepseek-r1:1.5b, reasoning=24, think=reasoning, load=1s
          vllm       ttft=40ms, reasoning=24, think=reasoning_content, reasoning_usage=on
          llamacpp   usage=off (even when asked), empty_deltas=on
          buffered   buffered=on

        Examples:
          chatbench mock --port 8000 ttft=200ms,itl=20ms,tokens=128
          chatbench run prompts/smoke.jsonl --base-url http://127.0.0.1:8000/v1
        """
}
