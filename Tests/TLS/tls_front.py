#!/usr/bin/env python3
"""A TLS-terminating front for chatbench's tests: the in-process mock behind TLS.

Usage: tls_front.py --cert CERT --key KEY --target-port PORT [--port 0]

Listens on 127.0.0.1 (an ephemeral port unless --port is given), prints the port on the first
line of stdout, and forwards every TLS connection to 127.0.0.1:PORT byte for byte: each read is
written on at once (no buffering, so SSE events keep their timing), and an end of stream in one
direction is passed on as a half-close (or a close, where TLS cannot half-close). Exits when
stdin reaches end of file, so a test that dies takes its front with it. Standard library only.
"""

import argparse
import asyncio
import os
import ssl
import sys
import threading

CHUNK = 64 * 1024


async def pump(reader, writer, half_close):
    """Copies until end of stream, then half-closes (or closes) the other side."""
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError, OSError):
        pass
    finally:
        try:
            if half_close and writer.can_write_eof():
                writer.write_eof()
            else:
                writer.close()
        except (ConnectionError, ssl.SSLError, OSError, RuntimeError):
            pass


async def serve_connection(client_reader, client_writer, target_port):
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target_port)
    except OSError:
        client_writer.close()
        return
    # Client -> mock: a half-close keeps the response flowing. Mock -> client: a TLS transport
    # cannot half-close, so the end of the response closes the TLS connection.
    await asyncio.gather(
        pump(client_reader, upstream_writer, half_close=True),
        pump(upstream_reader, client_writer, half_close=False),
    )
    for writer in (upstream_writer, client_writer):
        writer.close()


def exit_on_stdin_eof():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--target-port", type=int, required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    # A handshake the client aborts (untrusted certificate) is an expected event, not noise.
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: None)

    server = await asyncio.start_server(
        lambda r, w: serve_connection(r, w, args.target_port),
        host="127.0.0.1", port=args.port, ssl=context, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    threading.Thread(target=exit_on_stdin_eof, daemon=True).start()
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
