package io.kaiware.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The follower proxy of one client connection ({@code follower-proxy yes}): requests a follower
 * cannot serve are sent to the leader's client port over a connection of their own, and the leader's
 * replies are handed back in order.
 *
 * <h2>Never twice</h2>
 * Each request is written to the leader exactly once. Nothing is retried: when the upstream
 * connection fails or closes with requests outstanding (the leader died, or stepped down and closed
 * its connections), each of them is answered {@code -INDETERMINATE} — it may have been applied — and
 * the next request opens a new connection to whichever leader is then known. (Re-sending on failure
 * is exactly how a proxy applies a write twice: the RedisRaft Jepsen analysis found such a loop.)
 * Requests that were never written — the connection to the leader could not be opened (the leader
 * this follower still believes in has just died) — are reported as not sent, so the client hears
 * {@code -CLUSTERDOWN} (safe to retry), not {@code -INDETERMINATE}.
 *
 * <p>The upstream connection mirrors the client's database (SELECT) and protocol (HELLO 3) before the
 * requests that need them, and authenticates with this server's requirepass (members share it).
 * Replies are framed with a small RESP2/RESP3 reply scanner; a request may expect several replies
 * (MULTI, the queued commands, EXEC) of which only the last is the client's.
 */
final class LeaderProxy {

  /** What becomes of a forwarded request: its reply, or an error text and whether it may have reached the leader. */
  @FunctionalInterface
  interface Outcome {
    void accept(byte[] reply, String error, boolean maybeSent);
  }

  /** One request in flight: how many reply frames it produces, how many lead the client's reply. */
  private record Pending(int frames, int skip, Outcome done) {}

  private final String leaderAddress;
  private final Channel upstream;
  /** Requests are written from this future's listeners: in order, and only once connected. */
  private final ChannelFuture connected;
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;
  private int db;
  private int protocol = 2;

  private LeaderProxy(String leaderAddress, EventLoop loop, String password) {
    this.leaderAddress = leaderAddress;
    int colon = leaderAddress.lastIndexOf(':');
    String host = leaderAddress.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(leaderAddress.substring(colon + 1));
    ChannelFuture f = new Bootstrap().group(loop)
        .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new Replies());
          }
        })
        .connect(host, port);
    this.upstream = f.channel();
    this.connected = f;
    f.addListener(done -> {
      if (!done.isSuccess()) {
        failAll("could not reach the leader at " + leaderAddress);
      }
    });
    upstream.closeFuture().addListener(c -> failAll("the connection to the leader at " + leaderAddress + " closed"));
    if (!password.isEmpty()) {
      send(List.<byte[][]>of(new byte[][] {bytes("AUTH"), password.getBytes(StandardCharsets.UTF_8)}), 1, null);
    }
  }

  /** A proxy to {@code leaderAddress} on the client connection's event loop. */
  static LeaderProxy open(String leaderAddress, EventLoop loop, String password) {
    return new LeaderProxy(leaderAddress, loop, password);
  }

  String leaderAddress() {
    return leaderAddress;
  }

  boolean usable() {
    return !closed;
  }

  /**
   * Sends {@code commands} once, in database {@code db} with protocol {@code protocol}; {@code done}
   * receives the last reply's bytes, or an error text and whether the request may have been written
   * to the leader (its outcome is then unknown; when it was not, nothing was applied). Engine thread.
   */
  void forward(int db, int protocol, List<byte[][]> commands, Outcome done) {
    if (protocol != this.protocol) {
      send(List.<byte[][]>of(new byte[][] {bytes("HELLO"), bytes(Integer.toString(protocol))}), 1, null);
      this.protocol = protocol;
    }
    if (db != this.db) {
      send(List.<byte[][]>of(new byte[][] {bytes("SELECT"), bytes(Integer.toString(db))}), 1, null);
      this.db = db;
    }
    send(commands, commands.size() - 1, done);
  }

  private void send(List<byte[][]> commands, int skip, Outcome done) {
    Pending p = new Pending(commands.size(), skip, done);
    if (closed) {
      if (done != null) {
        done.accept(null, "the connection to the leader at " + leaderAddress + " closed", false);
      }
      return;
    }
    pending.add(p);
    ByteBuf out = Unpooled.buffer(64);
    for (byte[][] command : commands) {
      out.writeByte('*').writeBytes(bytes(Integer.toString(command.length))).writeBytes(CRLF);
      for (byte[] arg : command) {
        out.writeByte('$').writeBytes(bytes(Integer.toString(arg.length))).writeBytes(CRLF).writeBytes(arg).writeBytes(CRLF);
      }
    }
    connected.addListener(c -> {
      if (c.isSuccess()) {
        upstream.writeAndFlush(out, upstream.voidPromise());
      } else {
        out.release();
      }
    });
  }

  /**
   * Every outstanding request fails; nothing is re-sent. Requests are written only once connected,
   * so when the connection never opened none of them reached the leader.
   */
  private void failAll(String why) {
    closed = true;
    boolean maybeSent = connected.isSuccess();
    Pending p;
    while ((p = pending.poll()) != null) {
      if (p.done() != null) {
        p.done().accept(null, why, maybeSent);
      }
    }
  }

  void close() {
    closed = true;
    upstream.close();
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Splits the upstream byte stream into reply frames and hands them to the pending requests. */
  private final class Replies extends ChannelInboundHandlerAdapter {
    private ByteBuf cumulation;
    private int framesOfHead;
    private ByteBuf headReply;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
      for (;;) {
        int end = frameEnd(cumulation, cumulation.readerIndex());
        if (end < 0) {
          break;
        }
        ByteBuf frame = cumulation.readRetainedSlice(end - cumulation.readerIndex());
        Pending head = pending.peek();
        if (head == null) {
          frame.release();
          continue; // a push (RESP3) with nobody waiting: dropped
        }
        framesOfHead++;
        if (framesOfHead > head.skip()) {
          if (headReply == null) {
            headReply = Unpooled.buffer(frame.readableBytes());
          }
          headReply.writeBytes(frame);
        }
        frame.release();
        if (framesOfHead == head.frames()) {
          pending.poll();
          framesOfHead = 0;
          byte[] reply = new byte[headReply == null ? 0 : headReply.readableBytes()];
          if (headReply != null) {
            headReply.readBytes(reply);
            headReply = null;
          }
          if (head.done() != null) {
            head.done().accept(reply, null, true);
          }
        }
      }
      if (!cumulation.isReadable()) {
        cumulation.release();
        cumulation = null;
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (cumulation != null) {
        cumulation.release();
        cumulation = null;
      }
      failAll("the connection to the leader at " + leaderAddress + " closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /**
   * The index just past the reply frame starting at {@code from}, or -1 when it is incomplete.
   * RESP2 and RESP3: simple lines, bulk strings, aggregates (maps count pairs, attributes precede a
   * value).
   */
  static int frameEnd(ByteBuf b, int from) {
    if (from >= b.writerIndex()) {
      return -1;
    }
    byte type = b.getByte(from);
    int lineEnd = b.indexOf(from, b.writerIndex(), (byte) '\n');
    if (lineEnd < 0) {
      return -1;
    }
    int after = lineEnd + 1;
    switch (type) {
      case '+', '-', ':', '_', '#', ',', '(' -> {
        return after;
      }
      case '$', '=', '!' -> {
        long len = Long.parseLong(b.toString(from + 1, lineEnd - 1 - (from + 1), StandardCharsets.US_ASCII));
        if (len < 0) {
          return after;
        }
        long end = after + len + 2;
        return end <= b.writerIndex() ? (int) end : -1;
      }
      case '*', '~', '>', '%', '|' -> {
        long n = Long.parseLong(b.toString(from + 1, lineEnd - 1 - (from + 1), StandardCharsets.US_ASCII));
        if (n < 0) {
          return after;
        }
        long elements = (type == '%' || type == '|') ? n * 2 : n;
        int pos = after;
        for (long i = 0; i < elements; i++) {
          pos = frameEnd(b, pos);
          if (pos < 0) {
            return -1;
          }
        }
        return type == '|' ? frameEnd(b, pos) : pos; // an attribute precedes the actual reply
      }
      default -> throw new IllegalStateException("not a RESP reply: '" + (char) type + "'");
    }
  }
}
