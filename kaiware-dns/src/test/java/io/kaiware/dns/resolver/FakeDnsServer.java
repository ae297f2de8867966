package io.kaiware.dns.resolver;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A fake nameserver on a loopback address (127.0.0.x, high port), built on dnsjava's Message.
 * Modes cover every scenario in dns-notes.md. Zones map a name to its A/AAAA addresses; a name not
 * in the zone is NXDOMAIN, a name without AAAA is NODATA (with a SOA) for AAAA.
 */
public final class FakeDnsServer implements AutoCloseable {
  public enum Mode { ANSWER, SILENT, SERVFAIL, REFUSED, TRUNCATE, ROTATE }

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Map<String, List<InetAddress>> zone = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Mode mode;
  private volatile int delayMs;
  private volatile long ttl = 60;
  private final AtomicInteger udpQueries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private final AtomicInteger rotation = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  public FakeDnsServer(String loopback, Mode mode) throws IOException {
    this(loopback, 0, mode);
  }

  /** On a fixed port (53 for resolvers that cannot be told a port, e.g. glibc in a network namespace); 0 = any. */
  public FakeDnsServer(String loopback, int port, Mode mode) throws IOException {
    this.mode = mode;
    InetAddress ip = InetAddress.getByName(loopback);
    DatagramSocket u = null;
    ServerSocket t = null;
    for (int i = 0; i < 50 && t == null; i++) {
      u = new DatagramSocket(new InetSocketAddress(ip, port));
      try {
        t = new ServerSocket();
        t.setReuseAddress(true);
        t.bind(new InetSocketAddress(ip, u.getLocalPort()));
      } catch (IOException e) {
        u.close();
        t = null;
      }
    }
    if (t == null) throw new IOException("no free port pair on " + loopback);
    udp = u;
    tcp = t;
    threads.add(Thread.ofPlatform().daemon().name("fake-dns-udp").start(this::serveUdp));
    threads.add(Thread.ofPlatform().daemon().name("fake-dns-tcp").start(this::serveTcp));
  }

  /** An address on which nothing listens: queries get ICMP port unreachable at once. */
  public static InetSocketAddress refusing(String loopback) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(loopback), 0))) {
      return new InetSocketAddress(s.getLocalAddress(), s.getLocalPort());
    }
  }

  public FakeDnsServer add(String name, String... addresses) {
    List<InetAddress> list = new ArrayList<>();
    for (String a : addresses) {
      try {
        list.add(InetAddress.getByName(a));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(a, e);
      }
    }
    zone.put(fqdn(name), list);
    return this;
  }

  public FakeDnsServer mode(Mode m) { mode = m; return this; }
  public FakeDnsServer delayMs(int d) { delayMs = d; return this; }
  public FakeDnsServer ttl(long seconds) { ttl = seconds; return this; }
  public InetSocketAddress address() { return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort()); }
  public int udpQueries() { return udpQueries.get(); }
  public int tcpQueries() { return tcpQueries.get(); }

  /** resolv.conf line for this server. */
  public String nameserverLine() {
    return "nameserver " + udp.getLocalAddress().getHostAddress() + "#" + udp.getLocalPort() + "\n";
  }

  private static String fqdn(String n) {
    String l = n.toLowerCase(Locale.ROOT);
    return l.endsWith(".") ? l : l + ".";
  }

  private void serveUdp() {
    byte[] buf = new byte[4096];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        udpQueries.incrementAndGet();
        Mode m = mode;
        if (m == Mode.SILENT) continue;
        Message q = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
        Message r = reply(q, m, false);
        if (delayMs > 0) Thread.sleep(delayMs);
        byte[] out = r.toWire();
        udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (SocketException e) {
        return;
      } catch (IOException | InterruptedException e) {
        // ignore a bad packet
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket s = tcp.accept()) {
        tcpQueries.incrementAndGet();
        if (mode == Mode.SILENT) continue;
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] q = new byte[in.readUnsignedShort()];
        in.readFully(q);
        byte[] out = reply(new Message(q), mode, true).toWire();
        DataOutputStream o = new DataOutputStream(s.getOutputStream());
        o.writeShort(out.length);
        o.write(out);
        o.flush();
      } catch (IOException e) {
        if (tcp.isClosed()) return;
      }
    }
  }

  private Message reply(Message q, Mode m, boolean overTcp) throws IOException {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    Record question = q.getQuestion();
    r.addRecord(question, Section.QUESTION);
    if (m == Mode.SERVFAIL) { r.getHeader().setRcode(Rcode.SERVFAIL); return r; }
    if (m == Mode.REFUSED) { r.getHeader().setRcode(Rcode.REFUSED); return r; }
    if (m == Mode.TRUNCATE && !overTcp) { r.getHeader().setFlag(Flags.TC); return r; }
    Name name = question.getName();
    List<InetAddress> addrs = zone.get(name.toString().toLowerCase(Locale.ROOT));
    if (addrs == null) {
      r.getHeader().setRcode(Rcode.NXDOMAIN);
      r.addRecord(soa(), Section.AUTHORITY);
      return r;
    }
    List<InetAddress> matching = new ArrayList<>();
    for (InetAddress a : addrs) {
      if (question.getType() == Type.A && a.getAddress().length == 4) matching.add(a);
      if (question.getType() == Type.AAAA && a.getAddress().length == 16) matching.add(a);
    }
    if (m == Mode.ROTATE && !matching.isEmpty()) {
      java.util.Collections.rotate(matching, -Math.floorMod(rotation.getAndIncrement(), matching.size()));
    }
    if (matching.isEmpty()) {
      r.addRecord(soa(), Section.AUTHORITY); // NODATA
      return r;
    }
    for (InetAddress a : matching) {
      r.addRecord(a.getAddress().length == 4 ? new ARecord(name, DClass.IN, ttl, a)
          : new AAAARecord(name, DClass.IN, ttl, a), Section.ANSWER);
    }
    return r;
  }

  private static SOARecord soa() throws IOException {
    Name zone = Name.fromString("test.");
    return new SOARecord(zone, DClass.IN, 60, Name.fromString("ns.test."), Name.fromString("admin.test."),
        1, 3600, 600, 86400, 30);
  }

  @Override
  public void close() {
    udp.close();
    try {
      tcp.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
