package io.kaiware.dns.connect;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener on a loopback address for connector tests. Modes: {@code ACCEPT} counts and closes
 * each connection; {@code RESP} answers every RESP command line with a fixed reply per command
 * (enough for a Redis client handshake and PING/GET/SET); {@code SILENT} never accepts and keeps
 * its accept queue full, so that new SYNs are dropped and connects hang (a blackholed backend).
 */
public final class LoopbackListener implements AutoCloseable {
  public enum Mode { ACCEPT, RESP, SILENT }

  private final ServerSocket server;
  private final Mode mode;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> held = new ArrayList<>();
  private final Thread acceptor;

  public LoopbackListener(String loopback, int port, Mode mode) throws IOException {
    this.mode = mode;
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(loopback), port), mode == Mode.SILENT ? 1 : 200);
    if (mode == Mode.SILENT) {
      // Fill the accept queue (backlog + 1 on Linux) without accepting: further SYNs are dropped.
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket();
        try {
          s.connect(server.getLocalSocketAddress(), 200);
          held.add(s);
        } catch (IOException e) {
          s.close();
          break;
        }
      }
      acceptor = null;
    } else {
      acceptor = Thread.ofPlatform().daemon().name("listener-" + loopback).start(this::acceptLoop);
    }
  }

  /** Binds the given loopback addresses on one common free port. */
  public static List<LoopbackListener> onCommonPort(Mode mode, String... loopbacks) throws IOException {
    for (int tries = 0; tries < 50; tries++) {
      List<LoopbackListener> out = new ArrayList<>();
      try {
        LoopbackListener first = new LoopbackListener(loopbacks[0], 0, mode);
        out.add(first);
        for (int i = 1; i < loopbacks.length; i++) out.add(new LoopbackListener(loopbacks[i], first.port(), mode));
        return out;
      } catch (IOException e) {
        for (LoopbackListener l : out) l.close();
      }
    }
    throw new IOException("no common free port");
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  public int accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        if (mode == Mode.RESP) {
          Thread.ofVirtual().start(() -> serveResp(s));
        } else {
          s.close();
        }
      } catch (IOException e) {
        if (server.isClosed()) return;
      }
    }
  }

  /** Replies per command: HELLO -> error (client falls back to RESP2), GET -> "bar", others -> +OK/+PONG. */
  private static void serveResp(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      while (true) {
        List<String> cmd = readCommand(in);
        if (cmd == null) return;
        String name = cmd.isEmpty() ? "" : cmd.get(0).toUpperCase(java.util.Locale.ROOT);
        String reply = switch (name) {
          case "HELLO" -> "-ERR unknown command 'HELLO'\r\n";
          case "PING" -> "+PONG\r\n";
          case "GET" -> "$3\r\nbar\r\n";
          default -> "+OK\r\n";
        };
        out.write(reply.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // client went away
    }
  }

  private static List<String> readCommand(InputStream in) throws IOException {
    String first = readLine(in);
    if (first == null) return null;
    List<String> args = new ArrayList<>();
    if (!first.startsWith("*")) {
      for (String p : first.trim().split("\\s+")) args.add(p);
      return args;
    }
    int n = Integer.parseInt(first.substring(1));
    for (int i = 0; i < n; i++) {
      String len = readLine(in);
      if (len == null) return null;
      byte[] b = in.readNBytes(Integer.parseInt(len.substring(1)) + 2);
      args.add(new String(b, 0, b.length - 2, StandardCharsets.UTF_8));
    }
    return args;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') return sb.toString().stripTrailing();
      sb.append((char) c);
    }
    return null;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : held) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
