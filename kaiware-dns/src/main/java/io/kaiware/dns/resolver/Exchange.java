package io.kaiware.dns.resolver;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One query to one server: UDP, then TCP when the UDP answer is truncated (or always with use-vc).
 * Blocking I/O on a (virtual) thread; {@link #cancel()} closes the socket from another thread to
 * abandon it. The wire format is dnsjava's {@link Message}.
 */
final class Exchange {
  private static final int MAX_UDP = 65_535;

  private final InetSocketAddress server;
  private final Message query;
  private volatile java.io.Closeable socket;
  private volatile boolean cancelled;

  record Reply(Outcome outcome, Message message, boolean overTcp) {}

  Exchange(InetSocketAddress server, Message query) {
    this.server = server;
    this.query = query;
  }

  void cancel() {
    cancelled = true;
    java.io.Closeable s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing to abandon
      }
    }
  }

  Reply run(int timeoutMs, boolean useVc) {
    try {
      if (!useVc) {
        Message reply = udp(timeoutMs);
        if (reply == null) return new Reply(Outcome.BAD_REPLY, null, false);
        if (!reply.getHeader().getFlag(Flags.TC)) return new Reply(classify(reply), reply, false);
      }
      Message reply = tcp(timeoutMs);
      return new Reply(reply == null ? Outcome.BAD_REPLY : classify(reply), reply, true);
    } catch (SocketTimeoutException e) {
      return new Reply(cancelled ? Outcome.CANCELLED : Outcome.TIMEOUT, null, false);
    } catch (PortUnreachableException | java.net.ConnectException e) {
      return new Reply(cancelled ? Outcome.CANCELLED : Outcome.UNREACHABLE, null, false);
    } catch (IOException e) {
      return new Reply(cancelled ? Outcome.CANCELLED : Outcome.UNREACHABLE, null, false);
    }
  }

  private Message udp(int timeoutMs) throws IOException {
    byte[] out = query.toWire();
    try (DatagramSocket s = new DatagramSocket()) {
      socket = s;
      if (cancelled) throw new SocketTimeoutException();
      s.connect(server);
      s.setSoTimeout(timeoutMs);
      s.send(new DatagramPacket(out, out.length));
      byte[] buf = new byte[MAX_UDP];
      long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        Message m = parse(buf, p.getLength());
        if (m != null && m.getHeader().getID() == query.getHeader().getID()) return m;
        // A stray or spoofed datagram: keep waiting for the real one within the same timeout.
        int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
        if (left <= 0) throw new SocketTimeoutException();
        s.setSoTimeout(left);
      }
    }
  }

  private Message tcp(int timeoutMs) throws IOException {
    byte[] out = query.toWire();
    try (Socket s = new Socket()) {
      socket = s;
      if (cancelled) throw new SocketTimeoutException();
      s.connect(server, timeoutMs);
      s.setSoTimeout(timeoutMs);
      s.setTcpNoDelay(true);
      OutputStream os = s.getOutputStream();
      DataOutputStream dos = new DataOutputStream(os);
      dos.writeShort(out.length);
      dos.write(out);
      dos.flush();
      InputStream is = s.getInputStream();
      DataInputStream dis = new DataInputStream(is);
      int len = dis.readUnsignedShort();
      byte[] in = new byte[len];
      dis.readFully(in);
      Message m = parse(in, len);
      return m != null && m.getHeader().getID() == query.getHeader().getID() ? m : null;
    }
  }

  private static Message parse(byte[] buf, int len) {
    try {
      return new Message(java.util.Arrays.copyOf(buf, len));
    } catch (IOException e) {
      return null;
    }
  }

  static Outcome classify(Message reply) {
    int rcode = reply.getHeader().getRcode();
    if (rcode == Rcode.NXDOMAIN) return Outcome.NXDOMAIN;
    if (rcode == Rcode.SERVFAIL) return Outcome.SERVFAIL;
    if (rcode == Rcode.REFUSED) return Outcome.REFUSED;
    if (rcode != Rcode.NOERROR) return Outcome.BAD_REPLY;
    int type = reply.getQuestion() == null ? -1 : reply.getQuestion().getType();
    List<Record> answers = reply.getSection(Section.ANSWER);
    for (Record r : answers) {
      if (r.getType() == type) return Outcome.ANSWER;
    }
    return Outcome.NODATA;
  }
}
