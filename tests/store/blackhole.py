"""A database that stops answering: a TCP proxy to PostgreSQL that forwards until ``cut()``, then
keeps every connection open and forwards nothing; new connections are accepted and never
answered. With no upstream it is a black hole from the start."""

from __future__ import annotations

import socket
import threading


class BlackHole:
    def __init__(self, upstream: tuple[str, int] | None = None) -> None:
        self.upstream = upstream
        self.cut_off = threading.Event()
        if upstream is None:
            self.cut_off.set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = [self._listener]
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, user: str = "postgres", database: str = "test") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def cut(self) -> None:
        """From now on nothing passes either way; connections stay open."""
        self.cut_off.set()

    def close(self) -> None:
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked on it: refused from now on
                except OSError:
                    pass
                try:
                    sock.close()
                except OSError:
                    pass

    def _keep(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._keep(client)
            if self.cut_off.is_set() or self.upstream is None:
                continue  # accepted, never answered
            server = socket.create_connection(self.upstream)
            self._keep(server)
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self.cut_off.is_set():
                continue  # swallowed
            try:
                target.sendall(data)
            except OSError:
                return
