package io.kaiware.command.stream;

import static io.kaiware.command.CommandFlag.BLOCKING;
import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.Numbers;
import io.kaiware.command.Propagation;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.CommandTable;
import io.kaiware.command.GetKeys;
import io.kaiware.command.Help;
import io.kaiware.command.TypedKeys;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.StreamId;
import io.kaiware.engine.StreamValue;
import io.kaiware.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The stream family (Redis 7.0's t_stream.c): XADD ... XSETID with Redis's replies, error texts
 * and order of checks, on {@link StreamValue}. Every time a command records — a generated
 * {@code *} ID, a delivery time, a consumer's seen time — is the command time
 * {@link CommandContext#nowMs()}, the log time on a replicated group, so every replica computes
 * the same. XREADGROUP, XCLAIM and XAUTOCLAIM change the pending entries lists: they are writes.
 * XREAD and XREADGROUP with BLOCK answer here as Redis does inside MULTI (what they have, else a
 * null array).
 */
public final class StreamCommands {
  private StreamCommands() {}

  static final String NOKEY_XGROUP = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
      + "want to use the MKSTREAM option to create an empty stream automatically.";

  public static List<CommandSpec> specs() {
    return List.of(
        command("xadd").arity(-5).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("stream").since("5.0.0")
            .complexity("O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.")
            .summary("Appends a new message to a stream. Creates the key if it doesn't exist.")
            .handler(StreamCommands::xadd).build(),
        command("xlen").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("stream").since("5.0.0")
            .summary("Return the number of messages in a stream.").handler(StreamCommands::xlen).build(),
        command("xrange").arity(-4).flags(READONLY).keys(1, 1, 1).group("stream").since("5.0.0")
            .complexity("O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
            .summary("Returns the messages from a stream within a range of IDs.").handler(ctx -> xrange(ctx, false)).build(),
        command("xrevrange").arity(-4).flags(READONLY).keys(1, 1, 1).group("stream").since("5.0.0")
            .complexity("O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
            .summary("Returns the messages from a stream within a range of IDs in reverse order.")
            .handler(ctx -> xrange(ctx, true)).build(),
        command("xdel").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).group("stream").since("5.0.0")
            .complexity("O(1) for each single item to delete in the stream, regardless of the stream size.")
            .summary("Returns the number of messages after removing them from a stream.").handler(StreamCommands::xdel).build(),
        command("xtrim").arity(-4).flags(WRITE).keys(1, 1, 1).group("stream").since("5.0.0")
            .complexity("O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.")
            .summary("Deletes messages from the beginning of a stream.").handler(StreamCommands::xtrim).build(),
        command("xread").arity(-4).flags(READONLY, BLOCKING).group("stream").since("5.0.0").getKeys(XREAD_KEYS)
            .complexity("For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.")
            .summary("Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.")
            .handler(ctx -> xread(ctx, false)).build(),
        command("xreadgroup").arity(-7).flags(WRITE, BLOCKING).group("stream").since("5.0.0").getKeys(XREAD_KEYS)
            .complexity("For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.")
            .summary("Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.")
            .handler(ctx -> xread(ctx, true)).build(),
        command("xgroup").arity(-2).group("stream").since("5.0.0").complexity("Depends on subcommand.")
            .summary("A container for consumer groups commands.")
            .subcommand(command("create").arity(-5).flags(WRITE, DENYOOM).keys(2, 2, 1).since("5.0.0")
                .summary("Creates a consumer group.").handler(StreamCommands::xgroup))
            .subcommand(command("setid").arity(-5).flags(WRITE).keys(2, 2, 1).since("5.0.0")
                .summary("Sets the last-delivered ID of a consumer group.").handler(StreamCommands::xgroup))
            .subcommand(command("destroy").arity(4).flags(WRITE).keys(2, 2, 1).since("5.0.0")
                .complexity("O(N) where N is the number of entries in the group's pending entries list (PEL).")
                .summary("Destroys a consumer group.").handler(StreamCommands::xgroup))
            .subcommand(command("createconsumer").arity(5).flags(WRITE, DENYOOM).keys(2, 2, 1).since("6.2.0")
                .summary("Creates a consumer in a consumer group.").handler(StreamCommands::xgroup))
            .subcommand(command("delconsumer").arity(5).flags(WRITE).keys(2, 2, 1).since("5.0.0")
                .summary("Deletes a consumer from a consumer group.").handler(StreamCommands::xgroup))
            .subcommand(command("help").arity(2).flags(LOADING, STALE).since("5.0.0")
                .summary("Returns helpful text about the different subcommands.").handler(StreamCommands::xgroup))
            .build(),
        command("xack").arity(-4).flags(WRITE, FAST).keys(1, 1, 1).group("stream").since("5.0.0")
            .complexity("O(1) for each message ID processed.")
            .summary("Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.")
            .handler(StreamCommands::xack).build(),
        command("xpending").arity(-3).flags(READONLY).keys(1, 1, 1).group("stream").since("5.0.0")
            .complexity("O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.")
            .summary("Returns the information and entries from a stream consumer group's pending entries list.")
            .handler(StreamCommands::xpending).build(),
        command("xclaim").arity(-6).flags(WRITE, FAST).keys(1, 1, 1).group("stream").since("5.0.0")
            .complexity("O(log N) with N being the number of messages in the PEL of the consumer group.")
            .summary("Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.")
            .handler(StreamCommands::xclaim).build(),
        command("xautoclaim").arity(-6).flags(WRITE, FAST).keys(1, 1, 1).group("stream").since("6.2.0")
            .complexity("O(1) if COUNT is small.")
            .summary("Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.")
            .handler(StreamCommands::xautoclaim).build(),
        command("xinfo").arity(-2).group("stream").since("5.0.0").complexity("Depends on subcommand.")
            .summary("A container for stream introspection commands.")
            .subcommand(command("consumers").arity(4).flags(READONLY).keys(2, 2, 1).since("5.0.0")
                .summary("Returns a list of the consumers in a consumer group.").handler(StreamCommands::xinfo))
            .subcommand(command("groups").arity(3).flags(READONLY).keys(2, 2, 1).since("5.0.0")
                .summary("Returns a list of the consumer groups of a stream.").handler(StreamCommands::xinfo))
            .subcommand(command("stream").arity(-3).flags(READONLY).keys(2, 2, 1).since("5.0.0")
                .summary("Returns information about a stream.").handler(StreamCommands::xinfo))
            .subcommand(command("help").arity(2).flags(LOADING, STALE).since("5.0.0")
                .summary("Returns helpful text about the different subcommands.").handler(StreamCommands::xinfo))
            .build(),
        command("xsetid").arity(-3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("stream").since("5.0.0")
            .summary("An internal command for replicating stream values.").handler(StreamCommands::xsetid).build());
  }

  /** Redis's xreadGetKeys: the first half of the arguments after STREAMS. */
  public static final GetKeys XREAD_KEYS = argv -> {
    int streamsAt = streamsIndex(argv);
    int num = streamsAt < 0 ? 0 : argv.length - streamsAt - 1;
    if (num == 0 || num % 2 != 0) {
      return new int[0];
    }
    int[] keys = new int[num / 2];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = streamsAt + 1 + i;
    }
    return keys;
  };

  /** The position of STREAMS as xreadGetKeys finds it (skipping BLOCK, COUNT, GROUP and NOACK), or -1. */
  static int streamsIndex(byte[][] argv) {
    return scanReadOptions(argv, false);
  }

  // ---------------------------------------------------------------- blocking (for Blocking)

  private static final byte[] XREAD = ascii("xread");
  private static final byte[] XREADGROUP = ascii("xreadgroup");
  private static final byte[] BLOCK = ascii("block");
  private static final byte[] COUNT = ascii("count");
  private static final byte[] GROUP = ascii("group");
  private static final byte[] NOACK = ascii("noack");
  private static final byte[] STREAMS = ascii("streams");

  /**
   * The index of the timeout after BLOCK in an XREAD or XREADGROUP, or -1 when it does not block.
   * Asked for every command whose name starts with 'x' (Blocking.isBlocking): compares bytes,
   * allocates nothing.
   */
  public static int blockTimeoutIndex(byte[][] argv) {
    if (!CommandTable.equalsIgnoreCase(XREAD, argv[0]) && !CommandTable.equalsIgnoreCase(XREADGROUP, argv[0])) {
      return -1;
    }
    return scanReadOptions(argv, true);
  }

  /**
   * Walks XREAD/XREADGROUP's options the way xreadGetKeys does (BLOCK and COUNT take one argument,
   * GROUP two, NOACK none) up to STREAMS. Returns the index of STREAMS, or with {@code blockTimeout}
   * the index of BLOCK's argument; -1 when there is none or an unknown word comes first.
   */
  private static int scanReadOptions(byte[][] argv, boolean blockTimeout) {
    for (int i = 1; i < argv.length; i++) {
      byte[] arg = argv[i];
      if (CommandTable.equalsIgnoreCase(BLOCK, arg)) {
        if (blockTimeout) {
          return i + 1 < argv.length ? i + 1 : -1;
        }
        i++;
      } else if (CommandTable.equalsIgnoreCase(COUNT, arg)) {
        i++;
      } else if (CommandTable.equalsIgnoreCase(GROUP, arg)) {
        i += 2;
      } else if (CommandTable.equalsIgnoreCase(STREAMS, arg)) {
        return blockTimeout ? -1 : i;
      } else if (!CommandTable.equalsIgnoreCase(NOACK, arg)) {
        return -1;
      }
    }
    return -1;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** XREAD with its {@code $} IDs replaced by the streams' last IDs in {@code table} (0-0 for a missing key). */
  public static byte[][] resolveLastIds(byte[][] argv, KeyTable table) {
    int[] keys = XREAD_KEYS.positions(argv);
    byte[][] out = argv;
    for (int k = 0; k < keys.length; k++) {
      int idAt = keys[keys.length - 1] + 1 + k;
      if (isDollar(argv[idAt])) {
        if (out == argv) {
          out = argv.clone();
        }
        int slot = table.find(argv[keys[k]]);
        StreamId last = slot >= 0 && table.valueAt(slot) instanceof StreamValue s ? s.lastId() : StreamId.MIN;
        out[idAt] = last.toString().getBytes(StandardCharsets.ISO_8859_1);
      }
    }
    return out;
  }

  /**
   * Whether the {@code keyIndex}-th stream of a parked XREAD/XREADGROUP has something for it: an
   * entry above its ID ({@code >}: above the group's last delivered ID), or its group is gone.
   */
  public static boolean canServe(StreamValue stream, byte[][] argv, int keyIndex) {
    int[] keys = XREAD_KEYS.positions(argv);
    if (keyIndex >= keys.length) {
      return false;
    }
    byte[] idArg = argv[keys[keys.length - 1] + 1 + keyIndex];
    StreamId after;
    if (idArg.length == 1 && idArg[0] == '>') {
      byte[] group = null;
      for (int i = 1; i + 2 < argv.length; i++) {
        if (new String(argv[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase("GROUP")) {
          group = argv[i + 1];
          break;
        }
      }
      StreamValue.Group g = group == null ? null : stream.group(group);
      if (g == null) {
        return true;
      }
      after = g.lastId;
    } else {
      StreamIds.Parsed p = StreamIds.parse(idArg, 0, true, false);
      if (p == null) {
        return false;
      }
      after = p.id();
    }
    return stream.length() > 0 && stream.lastValidId().compareTo(after) > 0;
  }

  // ---------------------------------------------------------------- helpers

  private static StreamValue streamAt(CommandContext ctx, int slot) {
    return TypedKeys.valueAt(ctx, slot);
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static CommandError noGroup(CommandContext ctx, String suffix) {
    return new CommandError("NOGROUP No such key '" + latin1(ctx.arg(1)) + "' or consumer group '" + latin1(ctx.arg(2))
        + "'" + suffix);
  }

  private static CommandError subcommandSyntax(CommandContext ctx) {
    return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + latin1(ctx.arg(1)) + "'. Try "
        + latin1(ctx.arg(0)).toUpperCase(Locale.ROOT) + " HELP.");
  }

  /** One entry: {@code [id, [field, value, ...]]}. */
  private static void replyEntry(RespWriter reply, long ms, long seq, byte[][] fieldsValues) {
    reply.arrayHeader(2);
    StreamIds.reply(reply, ms, seq);
    reply.arrayHeader(fieldsValues.length);
    for (byte[] b : fieldsValues) {
      reply.bulk(b);
    }
  }

  /** An entry collected before its reply's length is known. */
  private record Entry(StreamId id, byte[][] fieldsValues) {}

  /** The live entries in [start, end] (in reverse when asked), at most {@code count} (0: all). */
  private static List<Entry> collect(StreamValue s, StreamId start, StreamId end, long count, boolean reverse) {
    List<Entry> out = new ArrayList<>();
    s.range(start, end, reverse, (ms, seq, fv) -> {
      out.add(new Entry(new StreamId(ms, seq), fv));
      return count == 0 || out.size() < count;
    });
    return out;
  }

  private static void replyEntries(RespWriter reply, List<Entry> entries) {
    reply.arrayHeader(entries.size());
    for (Entry e : entries) {
      replyEntry(reply, e.id().ms(), e.id().seq(), e.fieldsValues());
    }
  }

  private static long nodeMaxBytes(CommandContext ctx) {
    return ctx.dispatcher().compactEncodings().streamNodeMaxBytes();
  }

  private static long nodeMaxEntries(CommandContext ctx) {
    return ctx.dispatcher().compactEncodings().streamNodeMaxEntries();
  }

  // ---------------------------------------------------------------- XADD, XTRIM

  /** XADD's and XTRIM's options (Redis's streamAddTrimArgs). */
  private static final class TrimArgs {
    boolean maxLenGiven;
    long maxLen;
    StreamId minId;
    boolean approx;
    long limit;
    boolean noMkStream;
    StreamIds.Parsed id;
    /** XADD: where the ID is (argc when missing). */
    int idIndex;

    boolean trims() {
      return maxLenGiven || minId != null;
    }
  }

  /** Redis's streamParseAddOrTrimArgsOrReply. */
  private static TrimArgs trimArgs(CommandContext ctx, boolean xadd) {
    TrimArgs t = new TrimArgs();
    boolean limitGiven = false;
    int i = 2;
    int argc = ctx.argc();
    for (; i < argc; i++) {
      int more = argc - 1 - i;
      byte[] opt = ctx.arg(i);
      if (xadd && opt.length == 1 && opt[0] == '*') {
        break;
      } else if ((ctx.argIs(i, "MAXLEN") || ctx.argIs(i, "MINID")) && more > 0) {
        boolean maxLen = ctx.argIs(i, "MAXLEN");
        if (t.trims()) {
          throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        }
        t.approx = false;
        if (more >= 2 && ctx.argIs(i + 1, "~")) {
          t.approx = true;
          i++;
        } else if (more >= 2 && ctx.argIs(i + 1, "=")) {
          i++;
        }
        if (maxLen) {
          t.maxLen = ctx.longArg(i + 1);
          if (t.maxLen < 0) {
            throw new CommandError("ERR The MAXLEN argument must be >= 0.");
          }
          t.maxLenGiven = true;
        } else {
          t.minId = StreamIds.strictId(ctx, i + 1);
        }
        i++;
      } else if (ctx.argIs(i, "LIMIT") && more > 0) {
        t.limit = ctx.longArg(i + 1);
        if (t.limit < 0) {
          throw new CommandError("ERR The LIMIT argument must be >= 0.");
        }
        limitGiven = true;
        i++;
      } else if (xadd && ctx.argIs(i, "NOMKSTREAM")) {
        t.noMkStream = true;
      } else if (xadd) {
        t.id = StreamIds.parse(opt, 0, true, true);
        if (t.id == null) {
          throw new CommandError(StreamIds.INVALID);
        }
        break;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    t.idIndex = i;
    if (t.limit != 0 && !t.trims()) {
      throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    }
    if (!xadd && !t.trims()) {
      throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
    }
    if (limitGiven) {
      if (!t.approx) {
        throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
      }
    } else if (t.approx) {
      t.limit = 100 * nodeMaxEntries(ctx);
      if (t.limit <= 0) {
        t.limit = 10000;
      }
      if (t.limit > 1000000) {
        t.limit = 1000000;
      }
    } else {
      t.limit = 0;
    }
    return t;
  }

  private static long trim(StreamValue s, TrimArgs t) {
    return t.trims() ? s.trim(t.maxLen, t.minId, t.approx, t.limit) : 0;
  }

  private static void xadd(CommandContext ctx) {
    TrimArgs t = trimArgs(ctx, true);
    int fieldsAt = t.idIndex + 1;
    int pairsArgs = ctx.argc() - fieldsAt;
    if (pairsArgs < 2 || pairsArgs % 2 == 1) {
      throw new CommandError("ERR wrong number of arguments for 'xadd' command");
    }
    if (t.id != null && t.id.seqGiven() && t.id.id().isZero()) {
      throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
    }
    KeyTable table = ctx.db().table();
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), StreamValue.class);
    if (slot < 0) {
      if (t.noMkStream) {
        ctx.reply().nullBulk();
        return;
      }
      slot = table.put(ctx.arg(1), new StreamValue(), KeyTable.NO_EXPIRY);
    }
    StreamValue s = streamAt(ctx, slot);
    StreamId last = s.lastId();
    if (last.equals(StreamId.MAX)) {
      throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
    }
    StreamId id;
    if (t.id == null) {
      id = Long.compareUnsigned(ctx.nowMs(), last.ms()) > 0 ? new StreamId(ctx.nowMs(), 0) : last.next();
    } else if (t.id.seqGiven()) {
      id = t.id.id();
    } else if (last.ms() == t.id.id().ms()) {
      id = last.seq() == -1L ? null : new StreamId(last.ms(), last.seq() + 1);
    } else {
      id = t.id.id();
    }
    if (id == null || id.compareTo(last) <= 0) {
      throw new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    }
    long bytes = 0;
    for (int i = fieldsAt; i < ctx.argc(); i++) {
      bytes += ctx.arg(i).length;
    }
    if (bytes > StreamValue.LISTPACK_MAX_BYTES) {
      throw new CommandError("ERR Elements are too large to be stored");
    }
    s.append(id, Arrays.copyOfRange(ctx.args(), fieldsAt, ctx.argc()), nodeMaxBytes(ctx), nodeMaxEntries(ctx));
    StreamIds.reply(ctx.reply(), id);
    ctx.notify(KeyspaceEvents.STREAM, "xadd", ctx.arg(1));
    if ((t.id == null || !t.id.seqGiven()) && ctx.propagation().wanted()) {
      // Replicated with the ID it got: a replica must not generate its own (Redis's XADD rewrite).
      byte[][] argv = ctx.args().clone();
      argv[t.idIndex] = id.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      ctx.propagation().propagateAs(argv);
    }
    if (trim(s, t) > 0) {
      ctx.notify(KeyspaceEvents.STREAM, "xtrim", ctx.arg(1));
    }
    table.touch(slot);
  }

  /** The group's consumer {@code name}, created if missing ("xgroup-createconsumer" on {@code key}). */
  private static StreamValue.Consumer touchConsumer(CommandContext ctx, StreamValue.Group group, byte[] name, byte[] key) {
    boolean existed = group.consumer(name) != null;
    StreamValue.Consumer c = group.touchConsumer(name, ctx.nowMs());
    if (!existed) {
      ctx.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", key);
      groupChanged(ctx);
    }
    return c;
  }

  private static final byte[] XGROUP = Propagation.bytes("XGROUP");
  private static final byte[] CREATECONSUMER = Propagation.bytes("CREATECONSUMER");
  private static final byte[] SETID = Propagation.bytes("SETID");
  private static final byte[] ENTRIESREAD = Propagation.bytes("ENTRIESREAD");

  /**
   * Redis's streamPropagateXCLAIM: a delivery by XREADGROUP replicated as the claim that makes a
   * replica's pending entry identical — owner, delivery time and count, and the group's last ID.
   */
  private static void propagateClaim(CommandContext ctx, byte[] key, byte[] groupName, StreamValue.Group group, StreamId id) {
    if (!ctx.propagation().wanted()) {
      return;
    }
    StreamValue.Nack nack = group.pel().get(id);
    ctx.propagation().also(ctx.session().db(), Propagation.bytes("XCLAIM"), key, groupName, nack.consumer().name(),
        Propagation.bytes("0"), id.toString().getBytes(StandardCharsets.US_ASCII), Propagation.bytes("TIME"),
        Numbers.toBytes(nack.deliveryTimeMs), Propagation.bytes("RETRYCOUNT"), Numbers.toBytes(nack.deliveryCount),
        Propagation.bytes("FORCE"), Propagation.bytes("JUSTID"), Propagation.bytes("LASTID"),
        group.lastId.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A consumer group changed: Redis's {@code server.dirty++} without signalModifiedKey (WATCH does
   * not see group state), so the command reaches the replication stream and INFO's change count.
   */
  private static void groupChanged(CommandContext ctx) {
    ctx.db().table().noteWrite();
  }

  private static void xtrim(CommandContext ctx) {
    TrimArgs t = trimArgs(ctx, false);
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), StreamValue.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    long deleted = trim(streamAt(ctx, slot), t);
    if (deleted > 0) {
      ctx.db().table().touch(slot);
      ctx.notify(KeyspaceEvents.STREAM, "xtrim", ctx.arg(1));
    }
    ctx.reply().integer(deleted);
  }

  // ---------------------------------------------------------------- reads

  private static void xlen(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), StreamValue.class);
    ctx.reply().integer(slot < 0 ? 0 : streamAt(ctx, slot).length());
  }

  /** XRANGE key start end [COUNT n], XREVRANGE key end start [COUNT n]. */
  private static void xrange(CommandContext ctx, boolean reverse) {
    StreamId start = StreamIds.bound(ctx, reverse ? 3 : 2, true);
    StreamId end = StreamIds.bound(ctx, reverse ? 2 : 3, false);
    long count = -1;
    for (int j = 4; j < ctx.argc(); j++) {
      if (ctx.argIs(j, "COUNT") && j + 1 < ctx.argc()) {
        count = Math.max(0, ctx.longArg(j + 1));
        j++;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), StreamValue.class);
    if (slot < 0) {
      ctx.reply().arrayHeader(0);
      return;
    }
    if (count == 0) {
      ctx.reply().nullArray();
      return;
    }
    replyEntries(ctx.reply(), collect(streamAt(ctx, slot), start, end, Math.max(count, 0), reverse));
  }

  private static void xdel(CommandContext ctx) {
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), StreamValue.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    StreamId[] ids = strictIds(ctx, 2);
    StreamValue s = streamAt(ctx, slot);
    int deleted = 0;
    for (StreamId id : ids) {
      if (s.delete(id)) {
        deleted++;
      }
    }
    if (deleted > 0) {
      ctx.db().table().touch(slot);
      ctx.notify(KeyspaceEvents.STREAM, "xdel", ctx.arg(1));
    }
    ctx.reply().integer(deleted);
  }

  /** Arguments {@code from} to the end as strict IDs, all parsed before anything is done. */
  private static StreamId[] strictIds(CommandContext ctx, int from) {
    StreamId[] ids = new StreamId[ctx.argc() - from];
    for (int j = from; j < ctx.argc(); j++) {
      ids[j - from] = StreamIds.strictId(ctx, j);
    }
    return ids;
  }

  // ---------------------------------------------------------------- XREAD, XREADGROUP

  /** Redis's xreadCommand, without the blocking: what it serves now, else a null array. */
  private static void xread(CommandContext ctx, boolean xreadgroup) {
    if (xreadgroup) {
      // Replicated as what it did to the group (XCLAIM per delivery, XGROUP for NOACK), not as itself.
      ctx.propagation().prevent();
    }
    long count = 0;
    int streamsAt = 0;
    int streams = 0;
    boolean noack = false;
    byte[] groupName = null;
    byte[] consumerName = null;
    int argc = ctx.argc();
    for (int i = 1; i < argc; i++) {
      int more = argc - i - 1;
      if (ctx.argIs(i, "BLOCK") && more > 0) {
        if (ctx.dispatcher().hasScripts() && ctx.dispatcher().scripts().isScriptClient(ctx.session())) {
          throw new CommandError("ERR " + ctx.argCString(0) + " command is not allowed with BLOCK option from scripts");
        }
        i++;
        long timeout = ctx.longArg(i, "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
          throw new CommandError("ERR timeout is negative");
        }
      } else if (ctx.argIs(i, "COUNT") && more > 0) {
        i++;
        count = Math.max(0, ctx.longArg(i));
      } else if (ctx.argIs(i, "STREAMS") && more > 0) {
        streamsAt = i + 1;
        streams = argc - streamsAt;
        if (streams % 2 != 0) {
          throw new CommandError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        }
        streams /= 2;
        break;
      } else if (ctx.argIs(i, "GROUP") && more >= 2) {
        if (!xreadgroup) {
          throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        }
        groupName = ctx.arg(i + 1);
        consumerName = ctx.arg(i + 2);
        i += 2;
      } else if (ctx.argIs(i, "NOACK")) {
        if (!xreadgroup) {
          throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        }
        noack = true;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    if (streamsAt == 0) {
      throw new CommandError(CommandError.SYNTAX);
    }
    if (xreadgroup && groupName == null) {
      throw new CommandError("ERR Missing GROUP option for XREADGROUP");
    }
    StreamId[] ids = new StreamId[streams];
    StreamValue.Group[] groups = new StreamValue.Group[streams];
    for (int k = 0; k < streams; k++) {
      byte[] key = ctx.arg(streamsAt + k);
      int idAt = streamsAt + streams + k;
      int slot = ctx.db().lookup(key, ctx.nowMs());
      StreamValue s = null;
      if (slot >= 0) {
        if (!(ctx.db().table().valueAt(slot) instanceof StreamValue v)) {
          throw new CommandError(TypedKeys.WRONGTYPE);
        }
        s = v;
      }
      if (groupName != null) {
        groups[k] = s == null ? null : s.group(groupName);
        if (groups[k] == null) {
          throw new CommandError("NOGROUP No such key '" + latin1(key) + "' or consumer group '" + latin1(groupName)
              + "' in XREADGROUP with GROUP option");
        }
      }
      byte[] idArg = ctx.arg(idAt);
      if (idArg.length == 1 && idArg[0] == '$') {
        if (xreadgroup) {
          throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
              + "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just "
              + "return an empty result set.");
        }
        ids[k] = s == null ? StreamId.MIN : s.lastId();
      } else if (idArg.length == 1 && idArg[0] == '>') {
        if (!xreadgroup) {
          throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
              + "<consumer> option.");
        }
        ids[k] = null; // ">": the group's last delivered ID, decided when served
      } else {
        ids[k] = StreamIds.strictId(ctx, idAt);
      }
    }
    RespWriter reply = ctx.reply();
    List<byte[]> keys = new ArrayList<>();
    List<Runnable> bodies = new ArrayList<>();
    for (int k = 0; k < streams; k++) {
      byte[] key = ctx.arg(streamsAt + k);
      int slot = ctx.db().lookup(key, ctx.nowMs());
      if (slot < 0) {
        continue;
      }
      StreamValue s = streamAt(ctx, slot);
      StreamValue.Group group = groups[k];
      StreamId after = ids[k];
      boolean history = false;
      boolean serve = false;
      if (group != null) {
        if (after != null) {
          serve = true;
          history = true;
        } else if (s.length() > 0 && s.lastValidId().compareTo(group.lastId) > 0) {
          serve = true;
          after = group.lastId;
        }
      } else if (s.length() > 0 && s.lastValidId().compareTo(after) > 0) {
        serve = true;
      }
      if (!serve) {
        continue;
      }
      StreamId start = after.next();
      keys.add(key);
      if (group == null) {
        List<Entry> entries = start == null ? List.of() : collect(s, start, StreamId.MAX, count, false);
        bodies.add(() -> replyEntries(reply, entries));
        continue;
      }
      boolean newConsumer = group.consumer(consumerName) == null;
      StreamValue.Consumer consumer = touchConsumer(ctx, group, consumerName, key);
      if (newConsumer && noack && ctx.propagation().wanted()) {
        ctx.propagation().also(ctx.session().db(), XGROUP, CREATECONSUMER, key, groupName, consumerName);
      }
      if (history) {
        bodies.add(consumerHistory(ctx, s, consumer, start, count));
      } else {
        List<Entry> entries = collect(s, start, StreamId.MAX, count, false);
        if (!entries.isEmpty()) {
          groupChanged(ctx);
        }
        boolean lastIdMoved = false;
        for (Entry e : entries) {
          if (e.id().compareTo(group.lastId) > 0) {
            s.groupRead(group, e.id());
            lastIdMoved = true;
          }
          if (!noack) {
            group.deliver(e.id(), consumer, ctx.nowMs());
            propagateClaim(ctx, key, groupName, group, e.id());
          }
        }
        if (noack && lastIdMoved && ctx.propagation().wanted()) {
          ctx.propagation().also(ctx.session().db(), XGROUP, SETID, key, groupName, group.lastId.toString().getBytes(StandardCharsets.US_ASCII),
              ENTRIESREAD, Numbers.toBytes(group.entriesRead));
        }
        bodies.add(() -> replyEntries(reply, entries));
      }
    }
    if (keys.isEmpty()) {
      reply.nullArray();
      return;
    }
    if (reply.protocol() >= 3) {
      reply.mapHeader(keys.size());
    } else {
      reply.arrayHeader(keys.size());
    }
    for (int k = 0; k < keys.size(); k++) {
      if (reply.protocol() < 3) {
        reply.arrayHeader(2);
      }
      reply.bulk(keys.get(k));
      bodies.get(k).run();
    }
  }

  /**
   * XREADGROUP with an ID (not {@code >}): the consumer's own pending entries from {@code start}
   * (Redis's streamReplyWithRangeFromConsumerPEL), each delivered again (time now, count + 1);
   * an entry deleted since is answered with a null in place of its fields.
   */
  private static Runnable consumerHistory(CommandContext ctx, StreamValue s, StreamValue.Consumer consumer,
      StreamId start, long count) {
    List<StreamId> ids = new ArrayList<>();
    List<byte[][]> fields = new ArrayList<>();
    if (start != null) {
      for (Map.Entry<StreamId, StreamValue.Nack> e : consumer.pel().tailMap(start, true).entrySet()) {
        if (count != 0 && ids.size() >= count) {
          break;
        }
        byte[][] fv = s.get(e.getKey());
        if (fv != null) {
          e.getValue().deliveryTimeMs = ctx.nowMs();
          e.getValue().deliveryCount++;
        }
        ids.add(e.getKey());
        fields.add(fv);
      }
    }
    RespWriter reply = ctx.reply();
    return () -> {
      reply.arrayHeader(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        if (fields.get(i) == null) {
          reply.arrayHeader(2);
          StreamIds.reply(reply, ids.get(i));
          reply.nullArray();
        } else {
          replyEntry(reply, ids.get(i).ms(), ids.get(i).seq(), fields.get(i));
        }
      }
    };
  }

  // ---------------------------------------------------------------- groups

  /** XGROUP CREATE | SETID | DESTROY | CREATECONSUMER | DELCONSUMER | HELP, as Redis's xgroupCommand. */
  private static void xgroup(CommandContext ctx) {
    int argc = ctx.argc();
    boolean create = ctx.argIs(1, "CREATE");
    boolean setid = ctx.argIs(1, "SETID");
    boolean mkstream = false;
    long entriesRead = StreamValue.INVALID_ENTRIES_READ;
    StreamValue s = null;
    int slot = -1;
    StreamValue.Group group = null;
    byte[] groupName = null;
    if (argc >= 4) {
      int i = 5;
      while (i < argc) {
        if (create && ctx.argIs(i, "MKSTREAM")) {
          mkstream = true;
          i++;
        } else if ((create || setid) && ctx.argIs(i, "ENTRIESREAD") && i + 1 < argc) {
          entriesRead = ctx.longArg(i + 1);
          if (entriesRead < 0 && entriesRead != StreamValue.INVALID_ENTRIES_READ) {
            throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
          }
          i += 2;
        } else {
          throw subcommandSyntax(ctx);
        }
      }
      slot = TypedKeys.findForWrite(ctx, ctx.arg(2), StreamValue.class);
      if (slot >= 0) {
        s = streamAt(ctx, slot);
      }
      groupName = ctx.arg(3);
    }
    if (argc >= 4 && !mkstream) {
      if (s == null) {
        throw new CommandError(NOKEY_XGROUP);
      }
      group = s.group(groupName);
      if (group == null && (setid || ctx.argIs(1, "CREATECONSUMER") || ctx.argIs(1, "DELCONSUMER"))) {
        throw new CommandError("NOGROUP No such consumer group '" + latin1(groupName) + "' for key name '"
            + latin1(ctx.arg(2)) + "'");
      }
    }
    RespWriter reply = ctx.reply();
    if (argc == 2 && ctx.argIs(1, "HELP")) {
      Help.reply(ctx, "XGROUP",
          "CREATE <key> <groupname> <id|$> [option]",
          "    Create a new consumer group. Options are:",
          "    * MKSTREAM",
          "      Create the empty stream if it does not exist.",
          "    * ENTRIESREAD entries_read",
          "      Set the group's entries_read counter (internal use).",
          "CREATECONSUMER <key> <groupname> <consumer>",
          "    Create a new consumer in the specified group.",
          "DELCONSUMER <key> <groupname> <consumer>",
          "    Remove the specified consumer.",
          "DESTROY <key> <groupname>",
          "    Remove the specified group.",
          "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
          "    Set the current group ID and entries_read counter.");
    } else if (create && argc >= 5 && argc <= 8) {
      StreamId id;
      if (isDollar(ctx.arg(4))) {
        id = s == null ? StreamId.MIN : s.lastId();
      } else {
        id = StreamIds.strictId(ctx, 4);
      }
      if (s == null) {
        s = new StreamValue();
        slot = ctx.db().table().put(ctx.arg(2), s, KeyTable.NO_EXPIRY);
      }
      if (s.createGroup(groupName, id, entriesRead) == null) {
        throw new CommandError("BUSYGROUP Consumer Group name already exists");
      }
      reply.ok();
      ctx.notify(KeyspaceEvents.STREAM, "xgroup-create", ctx.arg(2));
      groupChanged(ctx);
    } else if (setid && (argc == 5 || argc == 7)) {
      StreamId id = isDollar(ctx.arg(4)) ? s.lastId() : StreamIds.id(ctx, 4, 0);
      group.lastId = id;
      group.entriesRead = entriesRead;
      reply.ok();
      ctx.notify(KeyspaceEvents.STREAM, "xgroup-setid", ctx.arg(2));
      groupChanged(ctx);
    } else if (ctx.argIs(1, "DESTROY") && argc == 4) {
      boolean destroyed = s.destroyGroup(groupName);
      reply.integer(destroyed ? 1 : 0);
      if (destroyed) {
        ctx.notify(KeyspaceEvents.STREAM, "xgroup-destroy", ctx.arg(2));
        groupChanged(ctx);
      }
    } else if (ctx.argIs(1, "CREATECONSUMER") && argc == 5) {
      boolean created = group.createConsumer(ctx.arg(4), ctx.nowMs()) != null;
      reply.integer(created ? 1 : 0);
      if (created) {
        ctx.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", ctx.arg(2));
        groupChanged(ctx);
      }
    } else if (ctx.argIs(1, "DELCONSUMER") && argc == 5) {
      StreamValue.Consumer consumer = group.consumer(ctx.arg(4));
      reply.integer(consumer == null ? 0 : group.deleteConsumer(consumer));
      if (consumer != null) {
        ctx.notify(KeyspaceEvents.STREAM, "xgroup-delconsumer", ctx.arg(2));
        groupChanged(ctx);
      }
    } else {
      throw subcommandSyntax(ctx);
    }
  }

  private static boolean isDollar(byte[] arg) {
    return arg.length == 1 && arg[0] == '$';
  }

  private static void xsetid(CommandContext ctx) {
    StreamId id = StreamIds.strictId(ctx, 2);
    StreamId maxDeleted = StreamId.MIN;
    long entriesAdded = -1;
    for (int i = 3; i < ctx.argc(); ) {
      boolean more = i < ctx.argc() - 1;
      if (ctx.argIs(i, "ENTRIESADDED") && more) {
        entriesAdded = ctx.longArg(i + 1);
        if (entriesAdded < 0) {
          throw new CommandError("ERR entries_added must be positive");
        }
        i += 2;
      } else if (ctx.argIs(i, "MAXDELETEDID") && more) {
        maxDeleted = StreamIds.strictId(ctx, i + 1);
        if (id.compareTo(maxDeleted) < 0) {
          throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        }
        i += 2;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), StreamValue.class);
    if (slot < 0) {
      throw new CommandError("ERR no such key");
    }
    StreamValue s = streamAt(ctx, slot);
    if (s.length() > 0) {
      if (id.compareTo(s.lastValidId()) < 0) {
        throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
      }
      if (entriesAdded != -1 && s.length() > entriesAdded) {
        throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
      }
    }
    s.setIds(id, entriesAdded, maxDeleted);
    ctx.reply().ok();
    ctx.notify(KeyspaceEvents.STREAM, "xsetid", ctx.arg(1));
    groupChanged(ctx);
  }

  /** The stream at key 1 and its group named by argument 2, or null when either is missing (WRONGTYPE if not a stream). */
  private static StreamValue.Group groupOrNull(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), StreamValue.class);
    return slot < 0 ? null : streamAt(ctx, slot).group(ctx.arg(2));
  }

  private static void xack(CommandContext ctx) {
    StreamValue.Group group = groupOrNull(ctx);
    if (group == null) {
      ctx.reply().integer(0);
      return;
    }
    int acknowledged = 0;
    for (StreamId id : strictIds(ctx, 3)) {
      if (group.ack(id)) {
        acknowledged++;
      }
    }
    if (acknowledged > 0) {
      groupChanged(ctx);
    }
    ctx.reply().integer(acknowledged);
  }

  /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]]. */
  private static void xpending(CommandContext ctx) {
    int argc = ctx.argc();
    boolean summary = argc == 3;
    if (argc != 3 && (argc < 6 || argc > 9)) {
      throw new CommandError(CommandError.SYNTAX);
    }
    long count = 0;
    long minIdle = 0;
    StreamId start = null;
    StreamId end = null;
    byte[] consumerName = null;
    if (argc >= 6) {
      int startAt = 3;
      if (ctx.argIs(3, "IDLE")) {
        minIdle = ctx.longArg(4);
        if (argc < 8) {
          throw new CommandError(CommandError.SYNTAX);
        }
        startAt += 2;
      }
      count = Math.max(0, ctx.longArg(startAt + 2));
      start = StreamIds.bound(ctx, startAt, true);
      end = StreamIds.bound(ctx, startAt + 1, false);
      if (startAt + 3 < argc) {
        consumerName = ctx.arg(startAt + 3);
      }
    }
    StreamValue.Group group = groupOrNull(ctx);
    if (group == null) {
      throw noGroup(ctx, "");
    }
    RespWriter reply = ctx.reply();
    if (summary) {
      reply.arrayHeader(4);
      reply.integer(group.pel().size());
      if (group.pel().isEmpty()) {
        reply.nullBulk();
        reply.nullBulk();
        reply.nullArray();
        return;
      }
      StreamIds.reply(reply, group.pel().firstKey());
      StreamIds.reply(reply, group.pel().lastKey());
      List<StreamValue.Consumer> owners = new ArrayList<>();
      for (StreamValue.Consumer c : group.consumers().values()) {
        if (!c.pel().isEmpty()) {
          owners.add(c);
        }
      }
      reply.arrayHeader(owners.size());
      for (StreamValue.Consumer c : owners) {
        reply.arrayHeader(2);
        reply.bulk(c.name());
        reply.bulkDecimal(c.pel().size());
      }
      return;
    }
    var pel = group.pel();
    if (consumerName != null) {
      StreamValue.Consumer consumer = group.consumer(consumerName);
      if (consumer == null) {
        reply.arrayHeader(0);
        return;
      }
      pel = consumer.pel();
    }
    long now = ctx.nowMs();
    List<Map.Entry<StreamId, StreamValue.Nack>> out = new ArrayList<>();
    if (start.compareTo(end) <= 0) {
      for (Map.Entry<StreamId, StreamValue.Nack> e : pel.subMap(start, true, end, true).entrySet()) {
        if (out.size() >= count) {
          break;
        }
        if (minIdle != 0 && now - e.getValue().deliveryTimeMs < minIdle) {
          continue;
        }
        out.add(e);
      }
    }
    reply.arrayHeader(out.size());
    for (Map.Entry<StreamId, StreamValue.Nack> e : out) {
      StreamValue.Nack n = e.getValue();
      reply.arrayHeader(4);
      StreamIds.reply(reply, e.getKey());
      reply.bulk(n.consumer().name());
      reply.integer(Math.max(0, now - n.deliveryTimeMs));
      reply.integer(n.deliveryCount);
    }
  }

  /** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]. */
  private static void xclaim(CommandContext ctx) {
    StreamValue.Group group = groupOrNull(ctx);
    if (group == null) {
      throw noGroup(ctx, "");
    }
    StreamValue s = streamAt(ctx, ctx.db().lookup(ctx.arg(1), ctx.nowMs()));
    long minIdle = Math.max(0, ctx.longArg(4, "ERR Invalid min-idle-time argument for XCLAIM"));
    List<StreamId> ids = new ArrayList<>();
    int j = 5;
    for (; j < ctx.argc(); j++) {
      StreamIds.Parsed p = StreamIds.parse(ctx.arg(j), 0, true, false);
      if (p == null) {
        break;
      }
      ids.add(p.id());
    }
    long now = ctx.nowMs();
    long deliveryTime = -1;
    long retryCount = -1;
    boolean force = false;
    boolean justId = false;
    StreamId lastId = StreamId.MIN;
    for (; j < ctx.argc(); j++) {
      boolean more = j < ctx.argc() - 1;
      if (ctx.argIs(j, "FORCE")) {
        force = true;
      } else if (ctx.argIs(j, "JUSTID")) {
        justId = true;
      } else if (ctx.argIs(j, "IDLE") && more) {
        j++;
        deliveryTime = now - ctx.longArg(j, "ERR Invalid IDLE option argument for XCLAIM");
      } else if (ctx.argIs(j, "TIME") && more) {
        j++;
        deliveryTime = ctx.longArg(j, "ERR Invalid TIME option argument for XCLAIM");
      } else if (ctx.argIs(j, "RETRYCOUNT") && more) {
        j++;
        retryCount = ctx.longArg(j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
      } else if (ctx.argIs(j, "LASTID") && more) {
        j++;
        lastId = StreamIds.strictId(ctx, j);
      } else {
        throw new CommandError("ERR Unrecognized XCLAIM option '" + latin1(ctx.arg(j)) + "'");
      }
    }
    if (lastId.compareTo(group.lastId) > 0) {
      group.lastId = lastId;
    }
    if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) {
      deliveryTime = now;
    }
    List<Runnable> claimed = new ArrayList<>();
    StreamValue.Consumer consumer = null;
    RespWriter reply = ctx.reply();
    for (StreamId id : ids) {
      StreamValue.Nack nack = group.pel().get(id);
      byte[][] fv = s.get(id);
      if (fv == null) {
        if (nack != null) {
          group.ack(id); // the entry is gone: so is its pending entry
        }
        continue;
      }
      if (force && nack == null) {
        nack = group.forceNack(id);
      }
      if (nack == null) {
        continue;
      }
      if (nack.consumer() != null && minIdle != 0 && now - nack.deliveryTimeMs < minIdle) {
        continue;
      }
      if (consumer == null) {
        consumer = touchConsumer(ctx, group, ctx.arg(3), ctx.arg(1));
      }
      group.claim(id, nack, consumer);
      groupChanged(ctx);
      nack.deliveryTimeMs = deliveryTime;
      if (retryCount >= 0) {
        nack.deliveryCount = retryCount;
      } else if (!justId) {
        nack.deliveryCount++;
      }
      claimed.add(justId ? () -> StreamIds.reply(reply, id) : () -> replyEntry(reply, id.ms(), id.seq(), fv));
    }
    reply.arrayHeader(claimed.size());
    claimed.forEach(Runnable::run);
  }

  /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]. */
  private static void xautoclaim(CommandContext ctx) {
    long minIdle = Math.max(0, ctx.longArg(4, "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
    StreamId start = StreamIds.bound(ctx, 5, true);
    long count = 100;
    boolean justId = false;
    for (int j = 6; j < ctx.argc(); j++) {
      boolean more = j < ctx.argc() - 1;
      if (ctx.argIs(j, "COUNT") && more) {
        count = ctx.longArgAtLeast(j + 1, 1, "ERR COUNT must be > 0");
        if (count > Long.MAX_VALUE / 16) {
          throw new CommandError("ERR COUNT must be > 0");
        }
        j++;
      } else if (ctx.argIs(j, "JUSTID")) {
        justId = true;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    StreamValue.Group group = groupOrNull(ctx);
    if (group == null) {
      throw noGroup(ctx, "");
    }
    StreamValue s = streamAt(ctx, ctx.db().lookup(ctx.arg(1), ctx.nowMs()));
    long now = ctx.nowMs();
    long attempts = count * 10;
    List<StreamId> deleted = new ArrayList<>();
    List<Runnable> claimed = new ArrayList<>();
    RespWriter reply = ctx.reply();
    StreamValue.Consumer consumer = null;
    StreamId cursor = start;
    while (attempts-- > 0 && count > 0 && cursor != null) {
      Map.Entry<StreamId, StreamValue.Nack> e = group.pel().ceilingEntry(cursor);
      if (e == null) {
        cursor = null;
        break;
      }
      StreamId id = e.getKey();
      StreamValue.Nack nack = e.getValue();
      cursor = id.next();
      byte[][] fv = s.get(id);
      if (fv == null) {
        group.ack(id);
        groupChanged(ctx);
        deleted.add(id);
        count--;
        continue;
      }
      if (minIdle != 0 && now - nack.deliveryTimeMs < minIdle) {
        continue;
      }
      if (consumer == null) {
        consumer = touchConsumer(ctx, group, ctx.arg(3), ctx.arg(1));
      }
      group.claim(id, nack, consumer);
      groupChanged(ctx);
      nack.deliveryTimeMs = now;
      if (!justId) {
        nack.deliveryCount++;
      }
      claimed.add(justId ? () -> StreamIds.reply(reply, id) : () -> replyEntry(reply, id.ms(), id.seq(), fv));
      count--;
    }
    Map.Entry<StreamId, StreamValue.Nack> next = cursor == null ? null : group.pel().ceilingEntry(cursor);
    reply.arrayHeader(3);
    StreamIds.reply(reply, next == null ? StreamId.MIN : next.getKey());
    reply.arrayHeader(claimed.size());
    claimed.forEach(Runnable::run);
    reply.arrayHeader(deleted.size());
    for (StreamId id : deleted) {
      StreamIds.reply(reply, id);
    }
  }

  // ---------------------------------------------------------------- XINFO

  private static void xinfo(CommandContext ctx) {
    RespWriter reply = ctx.reply();
    if (ctx.argIs(1, "HELP")) {
      if (ctx.argc() != 2) {
        throw subcommandSyntax(ctx);
      }
      Help.reply(ctx, "XINFO",
          "CONSUMERS <key> <groupname>",
          "    Show consumers of <groupname>.",
          "GROUPS <key>",
          "    Show the stream consumer groups.",
          "STREAM <key> [FULL [COUNT <count>]",
          "    Show information about the stream.");
      return;
    }
    int slot = TypedKeys.findForRead(ctx, ctx.arg(2), StreamValue.class);
    if (slot < 0) {
      throw new CommandError("ERR no such key");
    }
    StreamValue s = streamAt(ctx, slot);
    if (ctx.argIs(1, "CONSUMERS") && ctx.argc() == 4) {
      StreamValue.Group g = s.group(ctx.arg(3));
      if (g == null) {
        throw new CommandError("NOGROUP No such consumer group '" + latin1(ctx.arg(3)) + "' for key name '"
            + latin1(ctx.arg(2)) + "'");
      }
      reply.arrayHeader(g.consumers().size());
      for (StreamValue.Consumer c : g.consumers().values()) {
        reply.mapHeader(3);
        reply.bulk("name");
        reply.bulk(c.name());
        reply.bulk("pending");
        reply.integer(c.pel().size());
        reply.bulk("idle");
        reply.integer(Math.max(0, ctx.nowMs() - c.seenTimeMs));
      }
    } else if (ctx.argIs(1, "GROUPS") && ctx.argc() == 3) {
      reply.arrayHeader(s.groups().size());
      for (Map.Entry<byte[], StreamValue.Group> e : s.groups().entrySet()) {
        StreamValue.Group g = e.getValue();
        reply.mapHeader(6);
        reply.bulk("name");
        reply.bulk(e.getKey());
        reply.bulk("consumers");
        reply.integer(g.consumers().size());
        reply.bulk("pending");
        reply.integer(g.pel().size());
        reply.bulk("last-delivered-id");
        StreamIds.reply(reply, g.lastId);
        replyReadAndLag(reply, s, g);
      }
    } else if (ctx.argIs(1, "STREAM")) {
      xinfoStream(ctx, s);
    } else {
      throw subcommandSyntax(ctx);
    }
  }

  private static void replyReadAndLag(RespWriter reply, StreamValue s, StreamValue.Group g) {
    reply.bulk("entries-read");
    if (g.entriesRead != StreamValue.INVALID_ENTRIES_READ) {
      reply.integer(g.entriesRead);
    } else {
      reply.nullBulk();
    }
    reply.bulk("lag");
    long lag = s.lag(g);
    if (lag >= 0) {
      reply.integer(lag);
    } else {
      reply.nullBulk();
    }
  }

  /** XINFO STREAM key [FULL [COUNT count]]. */
  private static void xinfoStream(CommandContext ctx, StreamValue s) {
    int options = ctx.argc() - 3;
    boolean full = options > 0;
    long count = 10;
    if (full) {
      if ((options != 1 && options != 3) || !ctx.argIs(3, "FULL")) {
        throw subcommandSyntax(ctx);
      }
      if (options == 3) {
        if (!ctx.argIs(4, "COUNT")) {
          throw subcommandSyntax(ctx);
        }
        count = ctx.longArg(5);
        if (count < 0) {
          count = 10;
        }
      }
    }
    RespWriter reply = ctx.reply();
    reply.mapHeader(full ? 9 : 10);
    reply.bulk("length");
    reply.integer(s.length());
    reply.bulk("radix-tree-keys");
    reply.integer(s.nodeCount());
    reply.bulk("radix-tree-nodes");
    reply.integer(s.nodeCount() + 1);
    reply.bulk("last-generated-id");
    StreamIds.reply(reply, s.lastId());
    reply.bulk("max-deleted-entry-id");
    StreamIds.reply(reply, s.maxDeletedId());
    reply.bulk("entries-added");
    reply.integer(s.entriesAdded());
    reply.bulk("recorded-first-entry-id");
    StreamIds.reply(reply, s.firstId());
    if (!full) {
      reply.bulk("groups");
      reply.integer(s.groups().size());
      for (boolean last : new boolean[] {false, true}) {
        reply.bulk(last ? "last-entry" : "first-entry");
        List<Entry> edge = collect(s, StreamId.MIN, StreamId.MAX, 1, last);
        if (edge.isEmpty()) {
          reply.nullBulk();
        } else {
          replyEntry(reply, edge.get(0).id().ms(), edge.get(0).id().seq(), edge.get(0).fieldsValues());
        }
      }
      return;
    }
    reply.bulk("entries");
    replyEntries(reply, collect(s, StreamId.MIN, StreamId.MAX, count, false));
    reply.bulk("groups");
    reply.arrayHeader(s.groups().size());
    for (Map.Entry<byte[], StreamValue.Group> e : s.groups().entrySet()) {
      StreamValue.Group g = e.getValue();
      reply.mapHeader(7);
      reply.bulk("name");
      reply.bulk(e.getKey());
      reply.bulk("last-delivered-id");
      StreamIds.reply(reply, g.lastId);
      replyReadAndLag(reply, s, g);
      reply.bulk("pel-count");
      reply.integer(g.pel().size());
      reply.bulk("pending");
      replyPending(reply, g.pel(), count, true);
      reply.bulk("consumers");
      reply.arrayHeader(g.consumers().size());
      for (StreamValue.Consumer c : g.consumers().values()) {
        reply.mapHeader(4);
        reply.bulk("name");
        reply.bulk(c.name());
        reply.bulk("seen-time");
        reply.integer(c.seenTimeMs);
        reply.bulk("pel-count");
        reply.integer(c.pel().size());
        reply.bulk("pending");
        replyPending(reply, c.pel(), count, false);
      }
    }
  }

  /**
   * XINFO STREAM FULL's pending lists: the first {@code count} entries of {@code pel} (0: all), each
   * [id, consumer (for the group's list), delivery time, delivery count].
   */
  private static void replyPending(RespWriter reply, Map<StreamId, StreamValue.Nack> pel, long count, boolean withConsumer) {
    int n = count == 0 ? pel.size() : (int) Math.min(count, pel.size());
    reply.arrayHeader(n);
    for (Map.Entry<StreamId, StreamValue.Nack> p : pel.entrySet()) {
      if (n-- == 0) {
        break;
      }
      reply.arrayHeader(withConsumer ? 4 : 3);
      StreamIds.reply(reply, p.getKey());
      if (withConsumer) {
        reply.bulk(p.getValue().consumer().name());
      }
      reply.integer(p.getValue().deliveryTimeMs);
      reply.integer(p.getValue().deliveryCount);
    }
  }
}
