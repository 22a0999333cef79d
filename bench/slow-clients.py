"""Holds N connections to a server, each sending a request's headers one byte at a time, slowly,
and opening a new one whenever the server closes one: the slow-header pressure of `make soak`.
Runs for SECONDS, then prints how many connections the server closed.

Usage: python3 bench/slow-clients.py HOST PORT N SECONDS
"""
import asyncio
import sys

HEAD = b"GET /healthz HTTP/1.1\r\nHost: meet\r\nX-Slow: " + b"x" * 10_000


async def hold(host: str, port: int, stop: asyncio.Event, closed: list) -> None:
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        try:
            for byte in HEAD:
                if stop.is_set():
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    data = await asyncio.wait_for(reader.read(1), timeout=2.0)
                    if not data:
                        closed.append(1)
                        break
                except asyncio.TimeoutError:
                    pass
        except (ConnectionError, OSError):
            closed.append(1)
        finally:
            writer.close()


async def main() -> None:
    host, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    stop = asyncio.Event()
    closed: list = []
    tasks = [asyncio.create_task(hold(host, port, stop, closed)) for _ in range(count)]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(f"slow clients: {count} held, {len(closed)} cut off by the server")


asyncio.run(main())
