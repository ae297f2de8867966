package io.kaiware.command.geo;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.KeySpec;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.TypedKeys;
import io.kaiware.command.geo.GeoHash.Radius;
import io.kaiware.command.geo.GeoHash.Shape;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.Scores;
import io.kaiware.engine.SortedSet;
import io.kaiware.engine.SortedSet.Node;
import io.kaiware.engine.SortedSet.ScoreRange;
import io.kaiware.resp.RespWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The geo family (Redis 7.0.15's geo.c): a geo index is a sorted set whose scores are 52-bit
 * interleaved geohashes ({@link GeoHash}). Searches walk score ranges over the 9 boxes around the
 * center, as Redis does, then sort by distance. Replies and error texts as Redis 7.0, in RESP2 and
 * RESP3 (coordinates are doubles in RESP3; distances are bulk strings with 4 decimals in both).
 */
public final class GeoCommands {
  private GeoCommands() {}

  private static final int SORT_NONE = 0;
  private static final int SORT_ASC = 1;
  private static final int SORT_DESC = 2;

  private static final int RADIUS_COORDS = 1;
  private static final int RADIUS_MEMBER = 1 << 1;
  private static final int RADIUS_NOSTORE = 1 << 2;
  private static final int GEOSEARCH = 1 << 3;
  private static final int GEOSEARCHSTORE = 1 << 4;

  public static List<CommandSpec> specs() {
    String radiusComplexity = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
    String searchComplexity = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";
    return List.of(
        command("geoadd").arity(-5).flags(WRITE, DENYOOM).keys(1, 1, 1).group("geo").since("3.2.0")
            .keySpecs(KeySpec.range(1, 0, 1, "RW", "update"))
            .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
            .summary("Add one or more geospatial items in the geospatial index represented using a sorted set")
            .handler(GeoCommands::geoadd).build(),
        command("geodist").arity(-4).flags(READONLY).keys(1, 1, 1).group("geo")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access")).since("3.2.0").complexity("O(log(N))")
            .summary("Returns the distance between two members of a geospatial index")
            .handler(GeoCommands::geodist).build(),
        command("geohash").arity(-2).flags(READONLY).keys(1, 1, 1).group("geo")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access")).since("3.2.0")
            .complexity("O(log(N)) for each member requested, where N is the number of elements in the sorted set.")
            .summary("Returns members of a geospatial index as standard geohash strings")
            .handler(GeoCommands::geohash).build(),
        command("geopos").arity(-2).flags(READONLY).keys(1, 1, 1).group("geo")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access")).since("3.2.0")
            .complexity("O(N) where N is the number of members requested.")
            .summary("Returns longitude and latitude of members of a geospatial index")
            .handler(GeoCommands::geopos).build(),
        command("georadius").arity(-6).flags(WRITE, DENYOOM).keys(1, 1, 1).group("geo").since("3.2.0")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access"), KeySpec.keyword("STORE", 6, 0, 1, "OW", "update"),
                KeySpec.keyword("STOREDIST", 6, 0, 1, "OW", "update"))
            .getKeys(GeoCommands::georadiusGetKeys)
            .complexity(radiusComplexity)
            .summary("Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point")
            .handler(ctx -> search(ctx, 1, RADIUS_COORDS)).build(),
        command("georadius_ro").arity(-6).flags(READONLY).keys(1, 1, 1).group("geo")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access")).since("3.2.10")
            .complexity(radiusComplexity).summary("A read-only variant for GEORADIUS")
            .handler(ctx -> search(ctx, 1, RADIUS_COORDS | RADIUS_NOSTORE)).build(),
        command("georadiusbymember").arity(-5).flags(WRITE, DENYOOM).keys(1, 1, 1).group("geo").since("3.2.0")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access"), KeySpec.keyword("STORE", 5, 0, 1, "OW", "update"),
                KeySpec.keyword("STOREDIST", 5, 0, 1, "OW", "update"))
            .getKeys(GeoCommands::georadiusGetKeys)
            .complexity(radiusComplexity)
            .summary("Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member")
            .handler(ctx -> search(ctx, 1, RADIUS_MEMBER)).build(),
        command("georadiusbymember_ro").arity(-5).flags(READONLY).keys(1, 1, 1).group("geo")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access")).since("3.2.10")
            .complexity(radiusComplexity).summary("A read-only variant for GEORADIUSBYMEMBER")
            .handler(ctx -> search(ctx, 1, RADIUS_MEMBER | RADIUS_NOSTORE)).build(),
        command("geosearch").arity(-7).flags(READONLY).keys(1, 1, 1).group("geo")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access")).since("6.2.0")
            .complexity(searchComplexity)
            .summary("Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.")
            .handler(ctx -> search(ctx, 1, GEOSEARCH)).build(),
        command("geosearchstore").arity(-8).flags(WRITE, DENYOOM).keys(1, 2, 1).group("geo").since("6.2.0")
            .keySpecs(KeySpec.range(1, 0, 1, "OW", "update"), KeySpec.range(2, 0, 1, "RO", "access"))
            .complexity(searchComplexity)
            .summary("Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.")
            .handler(ctx -> search(ctx, 2, GEOSEARCH | GEOSEARCHSTORE)).build());
  }

  /** Redis's georadiusGetKeys: the source, and the key after the last STORE or STOREDIST from argument 5. */
  static int[] georadiusGetKeys(byte[][] argv) {
    int stored = -1;
    for (int i = 5; i < argv.length; i++) {
      String arg = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1);
      if ((arg.equalsIgnoreCase("store") || arg.equalsIgnoreCase("storedist")) && i + 1 < argv.length) {
        stored = i + 1;
        i++;
      }
    }
    return stored == -1 ? new int[] {1} : new int[] {1, stored};
  }

  // ---------------------------------------------------------------- argument helpers

  /** getDoubleFromObjectOrReply: string2d, NaN and ERANGE rejected. */
  private static double doubleArg(CommandContext ctx, int index, String error) {
    double d = Scores.parseStrict(ctx.arg(index));
    if (Double.isNaN(d)) {
      throw new CommandError(error);
    }
    return d;
  }

  /** extractLongLatOrReply: {longitude, latitude} from two arguments, in Redis's range. */
  private static double[] lonLat(CommandContext ctx, int index) {
    double[] xy = new double[2];
    for (int i = 0; i < 2; i++) {
      xy[i] = doubleArg(ctx, index + i, CommandError.NOT_A_FLOAT);
    }
    if (xy[0] < GeoHash.LONG_MIN || xy[0] > GeoHash.LONG_MAX || xy[1] < GeoHash.LAT_MIN || xy[1] > GeoHash.LAT_MAX) {
      throw new CommandError("ERR invalid longitude,latitude pair " + GeoHash.printfF(xy[0]) + "," + GeoHash.printfF(xy[1]));
    }
    return xy;
  }

  /** extractUnitOrReply: meters per unit. */
  private static double unit(CommandContext ctx, int index) {
    if (ctx.argIs(index, "m")) {
      return 1;
    } else if (ctx.argIs(index, "km")) {
      return 1000;
    } else if (ctx.argIs(index, "ft")) {
      return 0.3048;
    } else if (ctx.argIs(index, "mi")) {
      return 1609.34;
    }
    throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
  }

  /** longLatFromMember: the member's position, or {@code null} when absent or undecodable. */
  private static double[] memberPosition(SortedSet zset, byte[] member) {
    Node n = zset.node(member);
    return n == null ? null : GeoHash.decodeScore(n.score());
  }

  // ---------------------------------------------------------------- GEOADD

  /** GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with the geohashes as scores. */
  private static void geoadd(CommandContext ctx) {
    boolean nx = false;
    boolean xx = false;
    boolean ch = false;
    int longIdx = 2;
    while (longIdx < ctx.argc()) {
      if (ctx.argIs(longIdx, "nx")) {
        nx = true;
      } else if (ctx.argIs(longIdx, "xx")) {
        xx = true;
      } else if (ctx.argIs(longIdx, "ch")) {
        ch = true;
      } else {
        break;
      }
      longIdx++;
    }
    if ((ctx.argc() - longIdx) % 3 != 0 || (xx && nx)) {
      throw new CommandError(CommandError.SYNTAX);
    }
    int elements = (ctx.argc() - longIdx) / 3;
    double[] scores = new double[elements];
    for (int i = 0; i < elements; i++) {
      double[] xy = lonLat(ctx, longIdx + i * 3);
      scores[i] = GeoHash.score(xy[0], xy[1]);
    }
    if (elements == 0) {
      // ZADD's check on the rewritten command: no score-member pairs.
      throw new CommandError(CommandError.SYNTAX);
    }
    byte[] key = ctx.arg(1);
    int slot = TypedKeys.findForWrite(ctx, key, SortedSet.class);
    long added = 0;
    long updated = 0;
    if (slot < 0) {
      if (xx) {
        ctx.reply().integer(0);
        return;
      }
      slot = ctx.db().table().put(key, new SortedSet(), KeyTable.NO_EXPIRY);
    }
    SortedSet zset = TypedKeys.valueAt(ctx, slot);
    try {
      for (int i = 0; i < elements; i++) {
        byte[] member = ctx.arg(longIdx + i * 3 + 2);
        double score = scores[i];
        Node existing = zset.node(member);
        if (existing != null) {
          if (nx) {
            continue;
          }
          if (score != existing.score()) {
            zset.put(member, score);
            updated++;
          }
        } else if (!xx) {
          zset.put(member, score);
          ctx.dispatcher().compactEncodings().zsetAdded(zset, member);
          added++;
        }
      }
    } finally {
      if (added + updated > 0) {
        ctx.db().table().touch(slot);
        ctx.notify(KeyspaceEvents.ZSET, "zadd", key); // GEOADD runs ZADD in Redis
      }
      TypedKeys.removeIfEmpty(ctx, slot, zset.size());
    }
    ctx.reply().integer(ch ? added + updated : added);
  }

  // ---------------------------------------------------------------- GEOPOS, GEODIST, GEOHASH

  private static void geopos(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    SortedSet zset = slot < 0 ? null : TypedKeys.valueAt(ctx, slot);
    RespWriter reply = ctx.reply();
    reply.arrayHeader(ctx.argc() - 2);
    for (int j = 2; j < ctx.argc(); j++) {
      double[] xy = zset == null ? null : memberPosition(zset, ctx.arg(j));
      if (xy == null) {
        reply.nullArray();
      } else {
        reply.arrayHeader(2);
        humanDouble(reply, xy[0]);
        humanDouble(reply, xy[1]);
      }
    }
  }

  /** addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3, both "%.17Lf" trimmed. */
  private static void humanDouble(RespWriter reply, double d) {
    reply.doubleValue(d, GeoHash.humanText(d));
  }

  private static void geodist(CommandContext ctx) {
    double toMeter = 1;
    if (ctx.argc() == 5) {
      toMeter = unit(ctx, 4);
    } else if (ctx.argc() > 5) {
      throw new CommandError(CommandError.SYNTAX);
    }
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    if (slot < 0) {
      ctx.reply().nullBulk();
      return;
    }
    SortedSet zset = TypedKeys.valueAt(ctx, slot);
    Node a = zset.node(ctx.arg(2));
    Node b = a == null ? null : zset.node(ctx.arg(3));
    if (a == null || b == null) {
      ctx.reply().nullBulk();
      return;
    }
    double[] p = GeoHash.decodeScore(a.score());
    double[] q = GeoHash.decodeScore(b.score());
    if (p == null || q == null) {
      ctx.reply().nullBulk();
      return;
    }
    ctx.reply().bulk(GeoHash.distanceText(GeoHash.distance(p[0], p[1], q[0], q[1]) / toMeter));
  }

  private static void geohash(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    SortedSet zset = slot < 0 ? null : TypedKeys.valueAt(ctx, slot);
    RespWriter reply = ctx.reply();
    reply.arrayHeader(ctx.argc() - 2);
    for (int j = 2; j < ctx.argc(); j++) {
      double[] xy = zset == null ? null : memberPosition(zset, ctx.arg(j));
      if (xy == null) {
        reply.nullBulk();
      } else {
        reply.bulk(GeoHash.geohashString(xy));
      }
    }
  }

  // ---------------------------------------------------------------- searches

  /** One match (Redis's geoPoint). */
  private static final class Point {
    final double longitude;
    final double latitude;
    double dist;
    final double score;
    final byte[] member;

    Point(double[] xy, double dist, double score, byte[] member) {
      this.longitude = xy[0];
      this.latitude = xy[1];
      this.dist = dist;
      this.score = score;
      this.member = member;
    }
  }

  /**
   * Redis's georadiusGeneric: GEORADIUS[_RO], GEORADIUSBYMEMBER[_RO], GEOSEARCH and GEOSEARCHSTORE,
   * with the same argument order, checks and error precedence.
   */
  private static void search(CommandContext ctx, int srcKeyIndex, int flags) {
    byte[] storeKey = null;
    boolean storeDist = false;
    int slot = TypedKeys.findForRead(ctx, ctx.arg(srcKeyIndex), SortedSet.class);
    SortedSet zset = slot < 0 ? null : TypedKeys.valueAt(ctx, slot);

    int baseArgs;
    Shape shape = new Shape();
    if ((flags & RADIUS_COORDS) != 0) {
      baseArgs = 6;
      shape.circular = true;
      double[] xy = lonLat(ctx, 2);
      shape.x = xy[0];
      shape.y = xy[1];
      distanceArgs(ctx, baseArgs - 2, shape);
    } else if ((flags & RADIUS_MEMBER) != 0 && zset == null) {
      baseArgs = 5;
    } else if ((flags & RADIUS_MEMBER) != 0) {
      baseArgs = 5;
      shape.circular = true;
      double[] xy = memberPosition(zset, ctx.arg(2));
      if (xy == null) {
        throw new CommandError("ERR could not decode requested zset member");
      }
      shape.x = xy[0];
      shape.y = xy[1];
      distanceArgs(ctx, baseArgs - 2, shape);
    } else {
      baseArgs = 2;
      if ((flags & GEOSEARCHSTORE) != 0) {
        baseArgs = 3;
        storeKey = ctx.arg(1);
      }
    }

    boolean withDist = false;
    boolean withHash = false;
    boolean withCoords = false;
    boolean fromMember = false;
    boolean fromLoc = false;
    boolean byRadius = false;
    boolean byBox = false;
    int sort = SORT_NONE;
    boolean any = false;
    long count = 0;
    boolean geosearch = (flags & GEOSEARCH) != 0;
    boolean noStore = (flags & RADIUS_NOSTORE) != 0;
    if (ctx.argc() > baseArgs) {
      int remaining = ctx.argc() - baseArgs;
      for (int i = 0; i < remaining; i++) {
        int a = baseArgs + i;
        if (ctx.argIs(a, "withdist")) {
          withDist = true;
        } else if (ctx.argIs(a, "withhash")) {
          withHash = true;
        } else if (ctx.argIs(a, "withcoord")) {
          withCoords = true;
        } else if (ctx.argIs(a, "any")) {
          any = true;
        } else if (ctx.argIs(a, "asc")) {
          sort = SORT_ASC;
        } else if (ctx.argIs(a, "desc")) {
          sort = SORT_DESC;
        } else if (ctx.argIs(a, "count") && (i + 1) < remaining) {
          count = ctx.longArg(a + 1);
          if (count <= 0) {
            throw new CommandError("ERR COUNT must be > 0");
          }
          i++;
        } else if (ctx.argIs(a, "store") && (i + 1) < remaining && !noStore && !geosearch) {
          storeKey = ctx.arg(a + 1);
          storeDist = false;
          i++;
        } else if (ctx.argIs(a, "storedist") && (i + 1) < remaining && !noStore && !geosearch) {
          storeKey = ctx.arg(a + 1);
          storeDist = true;
          i++;
        } else if (ctx.argIs(a, "storedist") && geosearch && (flags & GEOSEARCHSTORE) != 0) {
          storeDist = true;
        } else if (ctx.argIs(a, "frommember") && (i + 1) < remaining && geosearch && !fromLoc) {
          if (zset != null) {
            double[] xy = memberPosition(zset, ctx.arg(a + 1));
            if (xy == null) {
              throw new CommandError("ERR could not decode requested zset member");
            }
            shape.x = xy[0];
            shape.y = xy[1];
          }
          fromMember = true;
          i++;
        } else if (ctx.argIs(a, "fromlonlat") && (i + 2) < remaining && geosearch && !fromMember) {
          double[] xy = lonLat(ctx, a + 1);
          shape.x = xy[0];
          shape.y = xy[1];
          fromLoc = true;
          i += 2;
        } else if (ctx.argIs(a, "byradius") && (i + 2) < remaining && geosearch && !byBox) {
          distanceArgs(ctx, a + 1, shape);
          shape.circular = true;
          byRadius = true;
          i += 2;
        } else if (ctx.argIs(a, "bybox") && (i + 3) < remaining && geosearch && !byRadius) {
          double w = doubleArg(ctx, a + 1, "ERR need numeric width");
          double h = doubleArg(ctx, a + 2, "ERR need numeric height");
          if (h < 0 || w < 0) {
            throw new CommandError("ERR height or width cannot be negative");
          }
          shape.height = h;
          shape.width = w;
          shape.conversion = unit(ctx, a + 3);
          shape.circular = false;
          byBox = true;
          i += 3;
        } else {
          throw new CommandError(CommandError.SYNTAX);
        }
      }
    }

    if (storeKey != null && (withDist || withHash || withCoords)) {
      throw new CommandError("ERR " + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
          + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
    }
    if (geosearch && !(fromMember || fromLoc)) {
      throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + ctx.argCString(0));
    }
    if (geosearch && !(byRadius || byBox)) {
      throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + ctx.argCString(0));
    }
    if (any && count == 0) {
      throw new CommandError("ERR the ANY argument requires COUNT argument");
    }

    if (zset == null) {
      if (storeKey != null) {
        if (ctx.db().delete(storeKey, ctx.nowMs())) {
          ctx.notify(KeyspaceEvents.GENERIC, "del", storeKey);
        }
        ctx.reply().integer(0);
      } else {
        ctx.reply().arrayHeader(0);
      }
      return;
    }

    if (count != 0 && sort == SORT_NONE && !any) {
      sort = SORT_ASC;
    }

    Radius radius = GeoHash.areasByShape(shape);
    List<Point> points = new ArrayList<>();
    membersOfAllNeighbors(zset, radius, shape, points, any ? count : 0);

    if (points.isEmpty() && storeKey == null) {
      ctx.reply().arrayHeader(0);
      return;
    }

    int resultLength = points.size();
    int returned = (count == 0 || resultLength < count) ? resultLength : (int) count;
    if (sort != SORT_NONE) {
      Comparator<Point> asc = (p, q) -> p.dist > q.dist ? 1 : p.dist == q.dist ? 0 : -1;
      Comparator<Point> cmp = sort == SORT_ASC ? asc : (p, q) -> -asc.compare(p, q);
      if (returned == resultLength) {
        // glibc's qsort is a stable merge sort: ties keep the order the boxes were walked in.
        points.sort(cmp);
      } else {
        PartialSort.pqsort(points, cmp, 0, returned - 1);
      }
    }

    if (storeKey == null) {
      int optionLength = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
      RespWriter reply = ctx.reply();
      reply.arrayHeader(returned);
      for (int i = 0; i < returned; i++) {
        Point p = points.get(i);
        p.dist /= shape.conversion;
        if (optionLength > 0) {
          reply.arrayHeader(optionLength + 1);
        }
        reply.bulk(p.member);
        if (withDist) {
          reply.bulk(GeoHash.distanceText(p.dist));
        }
        if (withHash) {
          reply.integer((long) p.score);
        }
        if (withCoords) {
          reply.arrayHeader(2);
          humanDouble(reply, p.longitude);
          humanDouble(reply, p.latitude);
        }
      }
    } else {
      if (returned > 0) {
        SortedSet out = new SortedSet();
        for (int i = 0; i < returned; i++) {
          Point p = points.get(i);
          p.dist /= shape.conversion;
          out.put(p.member, storeDist ? p.dist : p.score);
        }
        ctx.dispatcher().compactEncodings().built(out);
        ctx.db().put(storeKey, out, KeyTable.NO_EXPIRY);
        ctx.notify(KeyspaceEvents.ZSET, geosearch ? "geosearchstore" : "georadiusstore", storeKey);
      } else if (ctx.db().delete(storeKey, ctx.nowMs())) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", storeKey);
      }
      ctx.reply().integer(returned);
    }
  }

  /** extractDistanceOrReply: radius and unit at {@code index}, {@code index + 1}. */
  private static void distanceArgs(CommandContext ctx, int index, Shape shape) {
    double distance = doubleArg(ctx, index, "ERR need numeric radius");
    if (distance < 0) {
      throw new CommandError("ERR radius cannot be negative");
    }
    shape.radius = distance;
    shape.conversion = unit(ctx, index + 1);
  }

  /** membersOfAllNeighbors: the 9 boxes in Redis's order, skipping zero boxes and repeats of the last one. */
  private static void membersOfAllNeighbors(SortedSet zset, Radius radius, Shape shape, List<Point> out, long limit) {
    GeoHash.Bits[] n = radius.neighbors();
    int lastProcessed = 0;
    for (int i = 0; i < n.length; i++) {
      if (n[i].isZero()) {
        continue;
      }
      if (lastProcessed != 0 && n[i].bits() == n[lastProcessed].bits() && n[i].step() == n[lastProcessed].step()) {
        continue;
      }
      if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
        break;
      }
      membersOfBox(zset, n[i], shape, out, limit);
      lastProcessed = i;
    }
  }

  /** membersOfGeoHashBox + geoGetPointsInRange: the scores [box, box + 1) aligned to 52 bits. */
  private static void membersOfBox(SortedSet zset, GeoHash.Bits box, Shape shape, List<Point> out, long limit) {
    double min = GeoHash.align52(box);
    double max = GeoHash.align52(new GeoHash.Bits(box.bits() + 1, box.step()));
    ScoreRange range = new ScoreRange(min, false, max, true);
    for (Node node = zset.firstInRange(range); node != null; node = node.next()) {
      if (!range.belowMax(node.score())) {
        break;
      }
      double[] xy = GeoHash.decodeScore(node.score());
      if (xy != null) {
        Double dist = GeoHash.withinShape(shape, xy);
        if (dist != null) {
          out.add(new Point(xy, dist, node.score(), node.member()));
        }
      }
      if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
        break;
      }
    }
  }
}
