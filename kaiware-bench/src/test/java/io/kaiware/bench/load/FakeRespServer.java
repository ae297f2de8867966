package io.kaiware.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A RESP server for tests on 127.0.0.1 (port 0), one thread per connection, with knobs to inject
 * faults: a global pause (every reply waits until it ends), every n-th reply an error, a black hole
 * (read, never answer), and sudden death (close everything).
 */
public final class FakeRespServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final ConcurrentHashMap<Socket, Boolean> clients = new ConcurrentHashMap<>();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong errorsSent = new AtomicLong();
    private volatile long pauseUntilNs;
    private volatile int errorEvery;
    private volatile String errorText = "ERR injected";
    private volatile boolean blackhole;
    private volatile long dieAfterCommands = -1;
    private volatile boolean closed;

    public FakeRespServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        acceptor = new Thread(this::acceptLoop, "fake-resp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public long commands() {
        return commands.get();
    }

    public long errorsSent() {
        return errorsSent.get();
    }

    /** Every reply (on every connection) waits until {@code ms} from now. */
    public void pauseFor(long ms) {
        pauseUntilNs = System.nanoTime() + ms * 1_000_000L;
    }

    /** Every {@code n}-th command gets {@code -text} instead of its normal reply. */
    public void errorEvery(int n, String text) {
        errorText = text;
        errorEvery = n;
    }

    /** The server dies (as {@link #close}) when it reads its {@code n}-th command, without answering it. */
    public void dieAfter(long n) {
        dieAfterCommands = n;
    }

    public void blackhole(boolean on) {
        blackhole = on;
    }

    /** The server dies: the listening socket and every connection are closed. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : clients.keySet()) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                clients.put(s, Boolean.TRUE);
                Thread t = new Thread(() -> serve(s), "fake-resp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            while (!closed) {
                List<String> args = readCommand(in);
                if (args == null) return;
                long n = commands.incrementAndGet();
                if (n == dieAfterCommands) {
                    close();
                    return;
                }
                if (blackhole) continue;
                long until = pauseUntilNs;
                while (System.nanoTime() < until) {
                    Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
                    until = pauseUntilNs;
                }
                int every = errorEvery;
                if (every > 0 && n % every == 0) {
                    errorsSent.incrementAndGet();
                    out.write(("-" + errorText + "\r\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(reply(args));
                }
                if (in.available() == 0) out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // connection gone
        } finally {
            clients.remove(s);
        }
    }

    private static byte[] reply(List<String> args) {
        String cmd = args.isEmpty() ? "" : args.get(0).toUpperCase(Locale.ROOT);
        String r = switch (cmd) {
            case "PING" -> "+PONG\r\n";
            case "SET" -> "+OK\r\n";
            case "GET" -> "$5\r\nvalue\r\n";
            case "INCR" -> ":1\r\n";
            case "ZINCRBY" -> "$1\r\n1\r\n";
            case "LRANGE" -> "*3\r\n$1\r\na\r\n$-1\r\n*1\r\n:1\r\n";
            default -> "-ERR unknown command '" + cmd + "'\r\n";
        };
        return r.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readCommand(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) return null;
        if (first != '*') throw new IOException("expected a RESP array");
        int n = (int) readNumber(in);
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (in.read() != '$') throw new IOException("expected a bulk string");
            int len = (int) readNumber(in);
            byte[] b = in.readNBytes(len);
            in.read();
            in.read();
            args.add(new String(b, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static long readNumber(InputStream in) throws IOException {
        long v = 0;
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) throw new IOException("eof");
            v = v * 10 + (c - '0');
        }
        in.read();
        return v;
    }
}
