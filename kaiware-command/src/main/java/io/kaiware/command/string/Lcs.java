package io.kaiware.command.string;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (Redis 7.0): the classic O(N*M)
 * dynamic-programming table, walked back from the end to build the subsequence and its ranges.
 * Ranges come out last-first, as in Redis.
 */
final class Lcs {
  private Lcs() {}

  static void lcs(CommandContext ctx) {
    Object va = ctx.db().get(ctx.arg(1), ctx.nowMs());
    Object vb = ctx.db().get(ctx.arg(2), ctx.nowMs());
    if ((va != null && !(va instanceof byte[])) || (vb != null && !(vb instanceof byte[]))) {
      throw new CommandError("ERR The specified keys must contain string values");
    }
    byte[] a = va == null ? new byte[0] : (byte[]) va;
    byte[] b = vb == null ? new byte[0] : (byte[]) vb;
    boolean getIdx = false;
    boolean getLen = false;
    boolean withMatchLen = false;
    long minMatchLen = 0;
    for (int j = 3; j < ctx.argc(); j++) {
      boolean moreArgs = j + 1 < ctx.argc();
      if (ctx.argIs(j, "IDX")) {
        getIdx = true;
      } else if (ctx.argIs(j, "LEN")) {
        getLen = true;
      } else if (ctx.argIs(j, "WITHMATCHLEN")) {
        withMatchLen = true;
      } else if (ctx.argIs(j, "MINMATCHLEN") && moreArgs) {
        minMatchLen = Math.max(0, ctx.longArg(j + 1));
        j++;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    if (getIdx && getLen) {
      throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
    }
    int alen = a.length;
    int blen = b.length;
    long cells = (long) (alen + 1) * (blen + 1);
    if (cells * 4 > StringCommands.protoMaxBulkLen(ctx)) {
      throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    }
    int[] table;
    try {
      table = new int[(int) cells];
    } catch (OutOfMemoryError e) {
      throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
    }
    int w = blen + 1;
    for (int i = 1; i <= alen; i++) {
      for (int j = 1; j <= blen; j++) {
        if (a[i - 1] == b[j - 1]) {
          table[i * w + j] = table[(i - 1) * w + j - 1] + 1;
        } else {
          table[i * w + j] = Math.max(table[(i - 1) * w + j], table[i * w + j - 1]);
        }
      }
    }
    int total = table[alen * w + blen];
    int idx = total;
    byte[] result = new byte[total];
    List<long[]> ranges = new ArrayList<>();
    int aStart = alen; // alen means "no range open"
    int aEnd = 0;
    int bStart = 0;
    int bEnd = 0;
    int i = alen;
    int j = blen;
    boolean computeLcs = getIdx || !getLen;
    while (computeLcs && i > 0 && j > 0) {
      boolean emit = false;
      if (a[i - 1] == b[j - 1]) {
        result[idx - 1] = a[i - 1];
        if (aStart == alen) {
          aStart = i - 1;
          aEnd = i - 1;
          bStart = j - 1;
          bEnd = j - 1;
        } else if (aStart == i && bStart == j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart == 0 || bStart == 0) {
          emit = true;
        }
        idx--;
        i--;
        j--;
      } else {
        if (table[(i - 1) * w + j] > table[i * w + j - 1]) {
          i--;
        } else {
          j--;
        }
        if (aStart != alen) {
          emit = true;
        }
      }
      long matchLen = aEnd - aStart + 1;
      if (emit) {
        if (minMatchLen == 0 || matchLen >= minMatchLen) {
          ranges.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
        }
        aStart = alen;
      }
    }
    RespWriter out = ctx.reply();
    if (getIdx) {
      out.mapHeader(2);
      out.bulk("matches");
      out.arrayHeader(ranges.size());
      for (long[] r : ranges) {
        out.arrayHeader(withMatchLen ? 3 : 2);
        out.arrayHeader(2);
        out.integer(r[0]);
        out.integer(r[1]);
        out.arrayHeader(2);
        out.integer(r[2]);
        out.integer(r[3]);
        if (withMatchLen) {
          out.integer(r[4]);
        }
      }
      out.bulk("len");
      out.integer(total);
    } else if (getLen) {
      out.integer(total);
    } else {
      out.bulk(result);
    }
  }
}
