// libFuzzer entry point: every decoder chatbench runs on bytes from a server or a prompt file.
// Built outside the package by ./run (swiftc -sanitize=fuzzer,address); see README.md here.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    guard count > 0 else { return 0 }
    // The first byte picks the read size, so splits are fuzzed along with the bytes.
    let step = Int(input[0]) + 1
    let bytes = UnsafeRawBufferPointer(rebasing: input[1...])

    var sse = SSEDecoder(maxLineBytes: 4096)
    var ndjson = NDJSONDecoder(maxLineBytes: 4096)
    var http = HTTPResponseParser()
    var recorder = ChatResponseRecorder(streaming: true)
    recorder.receiveHead(HTTPResponseHead(status: 200, reason: "OK", headers: [], version: "HTTP/1.1"), at: 0)
    var sseAlive = true, ndjsonAlive = true, httpAlive = true
    var offset = 0
    while offset < bytes.count {
        let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<min(offset + step, bytes.count)])
        if sseAlive {
            do { try sse.feed(piece) { event in _ = try? JSONParser.parse(event.data) } } catch { sseAlive = false }
            precondition(sse.pendingLineByteCount <= 4096)
        }
        if ndjsonAlive {
            do { try ndjson.feed(piece) { line in _ = try? JSONParser.parse(line) } } catch { ndjsonAlive = false }
        }
        if httpAlive {
            do { try http.feed(piece, onHead: { _ in }, onBody: { _ in }) } catch { httpAlive = false }
        }
        recorder.receiveBody(piece, at: UInt64(offset))
        offset += step
    }
    recorder.receiveEnd(.complete, at: UInt64(offset))
    _ = try? JSONParser.parse(bytes)
    _ = try? PromptSet.decode(bytes: Array(bytes), path: "fuzz.jsonl", skipInvalid: true)
    return 0
}
