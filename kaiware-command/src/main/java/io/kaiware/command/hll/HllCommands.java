package io.kaiware.command.hll;

import static io.kaiware.command.CommandFlag.ADMIN;
import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.MAY_REPLICATE;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.KeySpec;
import io.kaiware.command.hll.HyperLogLog.Hll;
import io.kaiware.command.string.StringCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST (Redis 7.0's hyperloglog.c; the representation is
 * {@link HyperLogLog}). HLLs are plain string values, so GET, SET, DUMP, RESTORE and APPEND see
 * Redis's bytes.
 *
 * <p>One deliberate difference: PFCOUNT is a read here (reads run on one node and are not
 * replicated), so it never stores the cardinality it computes. Redis writes it into the header's
 * cache (and propagates the change); Kaiware leaves the cache as the last write left it, which is
 * always "stale" after a PFADD that changed something or a PFMERGE, and recomputes on every PFCOUNT.
 */
public final class HllCommands {
  private HllCommands() {}

  public static List<CommandSpec> specs() {
    return List.of(
        command("pfadd").arity(-2).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("hyperloglog").since("2.8.9")
            .complexity("O(1) to add every element.")
            .keySpecs(KeySpec.range(1, 0, 1, "RW", "insert"))
            .summary("Adds the specified elements to the specified HyperLogLog.").handler(HllCommands::pfadd).build(),
        command("pfcount").arity(-2).flags(READONLY, MAY_REPLICATE).keys(1, -1, 1).group("hyperloglog").since("2.8.9")
            .complexity("O(1) with a very small average constant time when called with a single key. O(N) with N being the "
                + "number of keys, and much bigger constant times, when called with multiple keys.")
            .keySpecs(new KeySpec("RW because it may change the internal representation of the key, and propagate to replicas",
                List.of("RW", "access"), 1, new KeySpec.Range(-1, 1, 0)))
            .summary("Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).")
            .handler(HllCommands::pfcount).build(),
        command("pfmerge").arity(-2).flags(WRITE, DENYOOM).keys(1, -1, 1).group("hyperloglog").since("2.8.9")
            .complexity("O(N) to merge N HyperLogLogs, but with high constant times.")
            .keySpecs(KeySpec.range(1, 0, 1, "RW", "access", "insert"), KeySpec.range(2, -1, 1, "RO", "access"))
            .summary("Merge N different HyperLogLogs into a single one.").handler(HllCommands::pfmerge).build(),
        command("pfdebug").arity(3).flags(WRITE, DENYOOM, ADMIN).keys(2, 2, 1).group("hyperloglog").since("2.8.9")
            .complexity("N/A").keySpecs(KeySpec.range(2, 0, 1, "RW", "access"))
            .summary("Internal commands for debugging HyperLogLog values").handler(HllCommands::pfdebug).build(),
        command("pfselftest").arity(1).flags(ADMIN).group("hyperloglog").since("2.8.9").complexity("N/A")
            .summary("An internal command for testing HyperLogLog values").handler(HllCommands::pfselftest).build());
  }

  // ------------------------------------------------------------------ lookups

  /** lookupKeyRead + isHLLObjectOrReply: the HLL at {@code key}, {@code null} if absent. */
  private static byte[] lookupRead(CommandContext ctx, byte[] key) {
    Object value = ctx.db().get(key, ctx.nowMs());
    if (value == null) {
      ctx.keyspace().recordMiss();
      ctx.notify(KeyspaceEvents.KEY_MISS, "keymiss", key);
      return null;
    }
    ctx.keyspace().recordHit();
    return checkHll(value);
  }

  /** lookupKeyWrite + isHLLObjectOrReply. */
  private static byte[] lookupWrite(CommandContext ctx, byte[] key) {
    Object value = ctx.db().get(key, ctx.nowMs());
    return value == null ? null : checkHll(value);
  }

  private static byte[] checkHll(Object value) {
    if (!(value instanceof byte[] bytes)) {
      throw new CommandError(StringCommands.WRONGTYPE);
    }
    if (!HyperLogLog.isValid(bytes)) {
      throw new CommandError(HyperLogLog.WRONGTYPE);
    }
    return bytes;
  }

  private static long sparseMaxBytes(CommandContext ctx) {
    return ctx.dispatcher() == null ? 3000 : ctx.dispatcher().compactEncodings().hllSparseMaxBytes();
  }

  /** Stores a new array for {@code key} (keeping its TTL): stored strings are never mutated. */
  private static void store(CommandContext ctx, byte[] key, Hll hll) {
    byte[] value = hll.toBytes();
    ctx.db().putKeepTtl(key, value, ctx.nowMs());
    ctx.keyspace().markRawString(value);
  }

  // ------------------------------------------------------------------ commands

  /** PFADD key [element ...]: 1 if a register changed or the key was created, else 0. */
  private static void pfadd(CommandContext ctx) {
    byte[] key = ctx.arg(1);
    byte[] current = lookupWrite(ctx, key);
    long maxBytes = sparseMaxBytes(ctx);
    int updated = 0;
    Hll hll;
    if (current == null) {
      hll = HyperLogLog.create();
      updated++;
    } else {
      hll = new Hll(current);
    }
    for (int j = 2; j < ctx.argc(); j++) {
      int r = HyperLogLog.add(hll, ctx.arg(j), maxBytes);
      if (r == 1) {
        updated++;
      } else if (r == -1) {
        // Redis has already changed the value in place for the elements before this one.
        if (updated > 0) {
          store(ctx, key, hll);
        }
        throw new CommandError(HyperLogLog.INVALIDOBJ);
      }
    }
    if (updated > 0) {
      hll.invalidateCache();
      store(ctx, key, hll);
      ctx.notify(KeyspaceEvents.STRING, "pfadd", key);
    } else {
      ctx.keyspace().markRawString(current); // Redis unshares the value either way
    }
    ctx.reply().integer(updated > 0 ? 1 : 0);
  }

  /**
   * PFCOUNT key [key ...]. One key: the cached cardinality if valid, else the estimate, which is not
   * stored (see the class comment). Several: the estimate of their union.
   */
  private static void pfcount(CommandContext ctx) {
    if (ctx.argc() > 2) {
      byte[] max = new byte[HyperLogLog.REGISTERS];
      for (int j = 1; j < ctx.argc(); j++) {
        byte[] v = lookupRead(ctx, ctx.arg(j));
        if (v == null) {
          continue;
        }
        if (!HyperLogLog.merge(max, v)) {
          throw new CommandError(HyperLogLog.INVALIDOBJ);
        }
      }
      ctx.reply().integer(HyperLogLog.countRaw(max));
      return;
    }
    byte[] v = lookupRead(ctx, ctx.arg(1));
    if (v == null) {
      ctx.reply().integer(0);
      return;
    }
    if (HyperLogLog.cacheValid(v)) {
      ctx.reply().integer(HyperLogLog.cachedCard(v));
      return;
    }
    long card = HyperLogLog.count(v);
    if (card < 0) {
      throw new CommandError(HyperLogLog.INVALIDOBJ);
    }
    ctx.reply().integer(card);
  }

  /** PFMERGE destkey [sourcekey ...]: the destination (itself one of the inputs) gets the union. */
  private static void pfmerge(CommandContext ctx) {
    byte[] max = new byte[HyperLogLog.REGISTERS];
    boolean useDense = false;
    for (int j = 1; j < ctx.argc(); j++) {
      byte[] v = lookupRead(ctx, ctx.arg(j));
      if (v == null) {
        continue;
      }
      if ((v[4] & 0xFF) == HyperLogLog.DENSE) {
        useDense = true;
      }
      if (!HyperLogLog.merge(max, v)) {
        throw new CommandError(HyperLogLog.INVALIDOBJ);
      }
    }
    byte[] key = ctx.arg(1);
    byte[] current = lookupWrite(ctx, key);
    Hll hll = current == null ? HyperLogLog.create() : new Hll(current);
    if (useDense && !HyperLogLog.sparseToDense(hll)) {
      throw new CommandError(HyperLogLog.INVALIDOBJ); // unreachable: the destination was merged above
    }
    long maxBytes = sparseMaxBytes(ctx);
    for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
      if (max[j] == 0) {
        continue;
      }
      if (hll.encoding() == HyperLogLog.DENSE) {
        HyperLogLog.denseSetIfGreater(hll, j, max[j]);
      } else {
        HyperLogLog.sparseSet(hll, j, max[j], maxBytes);
      }
    }
    hll.invalidateCache();
    store(ctx, key, hll);
    ctx.notify(KeyspaceEvents.STRING, "pfadd", key); // Redis: PFMERGE is a mass PFADD
    ctx.reply().ok();
  }

  /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. */
  private static void pfdebug(CommandContext ctx) {
    String cmd = ctx.argString(1);
    byte[] key = ctx.arg(2);
    byte[] current = lookupWrite(ctx, key);
    if (current == null) {
      throw new CommandError("ERR The specified key does not exist");
    }
    ctx.keyspace().markRawString(current);
    Hll hll = new Hll(current);
    if (ctx.argIs(1, "getreg")) {
      if (hll.encoding() == HyperLogLog.SPARSE) {
        if (!HyperLogLog.sparseToDense(hll)) {
          throw new CommandError(HyperLogLog.INVALIDOBJ);
        }
        store(ctx, key, hll);
      }
      ctx.reply().arrayHeader(HyperLogLog.REGISTERS);
      for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
        ctx.reply().integer(HyperLogLog.denseGet(hll.b, HyperLogLog.HDR, HyperLogLog.DENSE_SIZE, j));
      }
    } else if (ctx.argIs(1, "decode")) {
      if (hll.encoding() != HyperLogLog.SPARSE) {
        throw new CommandError("ERR HLL encoding is not sparse");
      }
      StringBuilder decoded = new StringBuilder();
      int p = HyperLogLog.HDR;
      while (p < hll.len) {
        int op = hll.b[p] & 0xFF;
        if ((op & 0xC0) == 0) {
          decoded.append("z:").append((op & 0x3F) + 1).append(' ');
          p++;
        } else if ((op & 0xC0) == 0x40) {
          decoded.append("Z:").append((((op & 0x3F) << 8) | hll.at(p + 1)) + 1).append(' ');
          p += 2;
        } else {
          decoded.append("v:").append(((op >> 2) & 0x1F) + 1).append(',').append((op & 3) + 1).append(' ');
          p++;
        }
      }
      int end = decoded.length();
      while (end > 0 && decoded.charAt(end - 1) == ' ') {
        end--;
      }
      ctx.reply().bulk(decoded.substring(0, end).getBytes(StandardCharsets.ISO_8859_1));
    } else if (ctx.argIs(1, "encoding")) {
      ctx.reply().simpleString(hll.encoding() == HyperLogLog.DENSE ? "dense" : "sparse");
    } else if (ctx.argIs(1, "todense")) {
      boolean converted = false;
      if (hll.encoding() == HyperLogLog.SPARSE) {
        if (!HyperLogLog.sparseToDense(hll)) {
          throw new CommandError(HyperLogLog.INVALIDOBJ);
        }
        store(ctx, key, hll);
        converted = true;
      }
      ctx.reply().integer(converted ? 1 : 0);
    } else {
      throw new CommandError("ERR Unknown PFDEBUG subcommand '" + cmd + "'");
    }
  }

  /**
   * PFSELFTEST: Redis's two self tests, the register accessors and the estimate's error up to 10^7
   * elements, dense and sparse side by side. Redis draws from rand(); this draws from a fixed seed
   * (no unseeded randomness on a replica), so every run tests the same values.
   */
  private static void pfselftest(CommandContext ctx) {
    SplittableRandom random = new SplittableRandom(0x5EED_4C4CL);
    byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
    int[] bytecounters = new int[HyperLogLog.REGISTERS];
    for (int j = 0; j < 1000; j++) {
      for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
        int r = random.nextInt() & HyperLogLog.REGISTER_MAX;
        bytecounters[i] = r;
        HyperLogLog.denseSet(dense, HyperLogLog.HDR, HyperLogLog.DENSE_SIZE, i, r);
      }
      for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
        int val = HyperLogLog.denseGet(dense, HyperLogLog.HDR, HyperLogLog.DENSE_SIZE, i);
        if (val != bytecounters[i]) {
          throw new CommandError("TESTFAILED Register " + i + " should be " + bytecounters[i] + " but is " + val);
        }
      }
    }
    byte[] header = HyperLogLog.create().toBytes();
    Hll d = new Hll(new byte[HyperLogLog.DENSE_SIZE]);
    System.arraycopy(header, 0, d.b, 0, HyperLogLog.HDR);
    d.b[4] = HyperLogLog.DENSE;
    Hll s = HyperLogLog.create();
    long maxBytes = sparseMaxBytes(ctx);
    double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
    long checkpoint = 1;
    long seed = random.nextLong();
    byte[] ele = new byte[8];
    for (long j = 1; j <= 10_000_000; j++) {
      long e = j ^ seed;
      for (int k = 0; k < 8; k++) {
        ele[k] = (byte) (e >>> (8 * k));
      }
      HyperLogLog.add(d, ele, maxBytes);
      HyperLogLog.add(s, ele, maxBytes);
      if (j != checkpoint) {
        continue;
      }
      if (j < maxBytes / 2 && s.encoding() != HyperLogLog.SPARSE) {
        throw new CommandError("TESTFAILED sparse encoding not used");
      }
      long denseCount = HyperLogLog.count(d.toBytes());
      if (denseCount != HyperLogLog.count(s.toBytes())) {
        throw new CommandError("TESTFAILED dense/sparse disagree");
      }
      long abserr = Math.abs(checkpoint - denseCount);
      long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
      if (j == 10) {
        maxerr = 1;
      }
      if (abserr > maxerr) {
        throw new CommandError("TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr);
      }
      checkpoint *= 10;
    }
    ctx.reply().ok();
  }
}
