package io.kaiware.command.geo;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Redis 7.0.15's geohash.c and geohash_helper.c, ported operation for operation so that scores,
 * positions, distances and the 9-box search areas are bit for bit Redis's: 26 steps per axis (52-bit
 * interleaved scores), latitude limited to the Mercator range ±85.05112878, haversine distances on
 * a sphere of radius 6372797.560856 m.
 *
 * <p>The trigonometry is {@link StrictMath} (fdlibm): the same bits on every JVM and CPU, which a
 * Raft state machine needs (STOREDIST stores distances), where {@code Math} may use
 * platform intrinsics. Redis takes sin, cos and asin from glibc, which is not correctly rounded
 * either; the two differ in the last bit for a fraction of a percent of arguments. Replies show
 * distances with 4 decimals, where that never showed in the captured cases; a STOREDIST score,
 * printed with 17 digits, can differ from Redis's by an ulp or two (docs/compatibility.md).
 */
public final class GeoHash {
  private GeoHash() {}

  public static final int STEP_MAX = 26;
  public static final double LAT_MIN = -85.05112878;
  public static final double LAT_MAX = 85.05112878;
  public static final double LONG_MIN = -180;
  public static final double LONG_MAX = 180;

  static final double D_R = Math.PI / 180.0;
  static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
  static final double MERCATOR_MAX = 20037726.37;

  /** A hash of {@code step} bits per axis; bits == 0 and step == 0 is Redis's "zero" (skipped) hash. */
  record Bits(long bits, int step) {
    static final Bits ZERO = new Bits(0, 0);

    boolean isZero() {
      return bits == 0 && step == 0;
    }
  }

  /** A decoded cell: [longMin, longMax] x [latMin, latMax]. */
  record Area(double longMin, double longMax, double latMin, double latMax) {}

  /** The center cell, its eight neighbours (zero when excluded) and the center's area. */
  record Radius(Bits hash, Bits[] neighbors, Area area) {}

  private static long interleave64(long xlo, long ylo) {
    long[] b = {0x5555555555555555L, 0x3333333333333333L, 0x0F0F0F0F0F0F0F0FL, 0x00FF00FF00FF00FFL,
        0x0000FFFF0000FFFFL};
    int[] s = {1, 2, 4, 8, 16};
    long x = xlo & 0xFFFFFFFFL;
    long y = ylo & 0xFFFFFFFFL;
    for (int i = 4; i >= 0; i--) {
      x = (x | (x << s[i])) & b[i];
      y = (y | (y << s[i])) & b[i];
    }
    return x | (y << 1);
  }

  private static long deinterleave64(long interleaved) {
    long[] b = {0x5555555555555555L, 0x3333333333333333L, 0x0F0F0F0F0F0F0F0FL, 0x00FF00FF00FF00FFL,
        0x0000FFFF0000FFFFL, 0x00000000FFFFFFFFL};
    int[] s = {0, 1, 2, 4, 8, 16};
    long x = interleaved;
    long y = interleaved >>> 1;
    for (int i = 0; i < 6; i++) {
      x = (x | (x >>> s[i])) & b[i];
      y = (y | (y >>> s[i])) & b[i];
    }
    return x | (y << 32);
  }

  /** C's conversion of a non-negative double to uint32_t (truncation; values here are below 2^32). */
  private static long toUint32(double d) {
    return ((long) d) & 0xFFFFFFFFL;
  }

  /** geohashEncode over the given ranges; {@code null} where Redis returns 0. */
  static Bits encode(double longMin, double longMax, double latMin, double latMax, double longitude, double latitude,
      int step) {
    if (step > 32 || step == 0) {
      return null;
    }
    if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
      return null;
    }
    if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
      return null;
    }
    double latOffset = (latitude - latMin) / (latMax - latMin);
    double longOffset = (longitude - longMin) / (longMax - longMin);
    latOffset *= (double) (1L << step);
    longOffset *= (double) (1L << step);
    return new Bits(interleave64(toUint32(latOffset), toUint32(longOffset)), step);
  }

  static Bits encodeWgs84(double longitude, double latitude, int step) {
    return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
  }

  /** geohashDecode over the given ranges; {@code null} for the zero hash. */
  static Area decode(double longMin, double longMax, double latMin, double latMax, Bits hash) {
    if (hash.isZero()) {
      return null;
    }
    int step = hash.step();
    long sep = deinterleave64(hash.bits());
    double latScale = latMax - latMin;
    double longScale = longMax - longMin;
    long ilato = sep & 0xFFFFFFFFL;
    long ilono = (sep >>> 32) & 0xFFFFFFFFL;
    double div = (double) (1L << step);
    return new Area(
        longMin + (ilono * 1.0 / div) * longScale,
        longMin + ((ilono + 1) * 1.0 / div) * longScale,
        latMin + (ilato * 1.0 / div) * latScale,
        latMin + ((ilato + 1) * 1.0 / div) * latScale);
  }

  static Area decodeWgs84(Bits hash) {
    return decode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, hash);
  }

  /** The 52-bit score of (longitude, latitude), already validated by the caller. */
  public static long score(double longitude, double latitude) {
    return align52(encodeWgs84(longitude, latitude, STEP_MAX));
  }

  /** Redis's decodeGeohash: a score back to {longitude, latitude}; {@code null} when it cannot. */
  public static double[] decodeScore(double score) {
    Area area = decodeWgs84(new Bits(toUint64(score), STEP_MAX));
    if (area == null) {
      return null;
    }
    double x = (area.longMin() + area.longMax()) / 2;
    x = Math.min(Math.max(x, LONG_MIN), LONG_MAX);
    double y = (area.latMin() + area.latMax()) / 2;
    y = Math.min(Math.max(y, LAT_MIN), LAT_MAX);
    return new double[] {x, y};
  }

  /**
   * C's (uint64_t) of a double score as gcc compiles it on x86-64: cvttsd2si below 2^63, else
   * cvttsd2si(d - 2^63) with the top bit flipped. So negative scores wrap, and infinities, NaN and
   * scores from 2^64 up come out 0 (the "indefinite" 2^63 flipped back).
   */
  static long toUint64(double d) {
    if (d < 9.223372036854775807E18) {
      return (long) d; // (long) of -inf or below -2^63 is Long.MIN_VALUE, as cvttsd2si
    }
    double v = d - 9.223372036854775807E18;
    long low = (Double.isNaN(v) || v >= 9.223372036854775807E18) ? Long.MIN_VALUE : (long) v;
    return low ^ Long.MIN_VALUE;
  }

  static long align52(Bits hash) {
    return hash.bits() << (52 - hash.step() * 2);
  }

  private static Bits moveX(Bits hash, int d) {
    if (d == 0) {
      return hash;
    }
    long x = hash.bits() & 0xaaaaaaaaaaaaaaaaL;
    long y = hash.bits() & 0x5555555555555555L;
    long zz = 0x5555555555555555L >>> (64 - hash.step() * 2);
    if (d > 0) {
      x = x + (zz + 1);
    } else {
      x = x | zz;
      x = x - (zz + 1);
    }
    x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - hash.step() * 2));
    return new Bits(x | y, hash.step());
  }

  private static Bits moveY(Bits hash, int d) {
    if (d == 0) {
      return hash;
    }
    long x = hash.bits() & 0xaaaaaaaaaaaaaaaaL;
    long y = hash.bits() & 0x5555555555555555L;
    long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - hash.step() * 2);
    if (d > 0) {
      y = y + (zz + 1);
    } else {
      y = y | zz;
      y = y - (zz + 1);
    }
    y &= (0x5555555555555555L >>> (64 - hash.step() * 2));
    return new Bits(x | y, hash.step());
  }

  private static Bits move(Bits hash, int dx, int dy) {
    return moveY(moveX(hash, dx), dy);
  }

  // Neighbour order as membersOfAllNeighbors visits them.
  static final int CENTER = 0;
  static final int NORTH = 1;
  static final int SOUTH = 2;
  static final int EAST = 3;
  static final int WEST = 4;
  static final int NORTH_EAST = 5;
  static final int NORTH_WEST = 6;
  static final int SOUTH_EAST = 7;
  static final int SOUTH_WEST = 8;

  /** The 9 boxes: [center, north, south, east, west, north_east, north_west, south_east, south_west]. */
  private static Bits[] neighbors(Bits hash) {
    Bits[] n = new Bits[9];
    n[CENTER] = hash;
    n[NORTH] = move(hash, 0, 1);
    n[SOUTH] = move(hash, 0, -1);
    n[EAST] = move(hash, 1, 0);
    n[WEST] = move(hash, -1, 0);
    n[NORTH_EAST] = move(hash, 1, 1);
    n[NORTH_WEST] = move(hash, -1, 1);
    n[SOUTH_EAST] = move(hash, 1, -1);
    n[SOUTH_WEST] = move(hash, -1, -1);
    return n;
  }

  static double degRad(double ang) {
    return ang * D_R;
  }

  static double radDeg(double ang) {
    return ang / D_R;
  }

  static int estimateStepsByRadius(double rangeMeters, double lat) {
    if (rangeMeters == 0) {
      return 26;
    }
    int step = 1;
    while (rangeMeters < MERCATOR_MAX) {
      rangeMeters *= 2;
      step++;
    }
    step -= 2;
    if (lat > 66 || lat < -66) {
      step--;
      if (lat > 80 || lat < -80) {
        step--;
      }
    }
    if (step < 1) {
      step = 1;
    }
    if (step > 26) {
      step = 26;
    }
    return step;
  }

  /** geohashBoundingBox: {minLon, minLat, maxLon, maxLat}. */
  static double[] boundingBox(Shape shape) {
    double longitude = shape.x;
    double latitude = shape.y;
    double height = shape.conversion * (shape.circular ? shape.radius : shape.height / 2);
    double width = shape.conversion * (shape.circular ? shape.radius : shape.width / 2);
    double latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
    double longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / StrictMath.cos(degRad(latitude + latDelta)));
    double longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / StrictMath.cos(degRad(latitude - latDelta)));
    boolean southern = latitude < 0;
    return new double[] {
        southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
        latitude - latDelta,
        southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
        latitude + latDelta};
  }

  /** geohashCalculateAreasByShapeWGS84. */
  static Radius areasByShape(Shape shape) {
    double[] bounds = boundingBox(shape);
    double minLon = bounds[0];
    double minLat = bounds[1];
    double maxLon = bounds[2];
    double maxLat = bounds[3];
    double longitude = shape.x;
    double latitude = shape.y;
    double radiusMeters = shape.circular ? shape.radius
        : StrictMath.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
    radiusMeters *= shape.conversion;
    int steps = estimateStepsByRadius(radiusMeters, latitude);
    Bits hash = encodeWgs84(longitude, latitude, steps);
    Bits[] n = neighbors(hash);
    Area area = decodeWgs84(hash);
    boolean decreaseStep = false;
    {
      Area north = decodeWgs84(n[NORTH]);
      Area south = decodeWgs84(n[SOUTH]);
      Area east = decodeWgs84(n[EAST]);
      Area west = decodeWgs84(n[WEST]);
      if (north != null && north.latMax() < maxLat) {
        decreaseStep = true;
      }
      if (south != null && south.latMin() > minLat) {
        decreaseStep = true;
      }
      if (east != null && east.longMax() < maxLon) {
        decreaseStep = true;
      }
      if (west != null && west.longMin() > minLon) {
        decreaseStep = true;
      }
    }
    if (steps > 1 && decreaseStep) {
      steps--;
      hash = encodeWgs84(longitude, latitude, steps);
      n = neighbors(hash);
      area = decodeWgs84(hash);
    }
    if (steps >= 2) {
      if (area.latMin() < minLat) {
        n[SOUTH] = Bits.ZERO;
        n[SOUTH_WEST] = Bits.ZERO;
        n[SOUTH_EAST] = Bits.ZERO;
      }
      if (area.latMax() > maxLat) {
        n[NORTH] = Bits.ZERO;
        n[NORTH_EAST] = Bits.ZERO;
        n[NORTH_WEST] = Bits.ZERO;
      }
      if (area.longMin() < minLon) {
        n[WEST] = Bits.ZERO;
        n[SOUTH_WEST] = Bits.ZERO;
        n[NORTH_WEST] = Bits.ZERO;
      }
      if (area.longMax() > maxLon) {
        n[EAST] = Bits.ZERO;
        n[SOUTH_EAST] = Bits.ZERO;
        n[NORTH_EAST] = Bits.ZERO;
      }
    }
    return new Radius(hash, n, area);
  }

  static double latDistance(double lat1d, double lat2d) {
    return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
  }

  /** geohashGetDistance: haversine, with Redis's shortcut when the longitudes agree. */
  public static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
    double lon1r = degRad(lon1d);
    double lon2r = degRad(lon2d);
    double v = StrictMath.sin((lon2r - lon1r) / 2);
    if (v == 0.0) {
      return latDistance(lat1d, lat2d);
    }
    double lat1r = degRad(lat1d);
    double lat2r = degRad(lat2d);
    double u = StrictMath.sin((lat2r - lat1r) / 2);
    double a = u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v;
    return 2.0 * EARTH_RADIUS_IN_METERS * StrictMath.asin(StrictMath.sqrt(a));
  }

  /** A search shape (Redis's GeoShape): a circle of {@code radius} or a {@code width} x {@code height} box, in units of {@code conversion} meters. */
  static final class Shape {
    boolean circular;
    double x;
    double y;
    double conversion;
    double radius;
    double width;
    double height;
  }

  /**
   * geoWithinShape: the distance from the shape's center to the point {@code xy}, or {@code null}
   * when the point is outside.
   */
  static Double withinShape(Shape shape, double[] xy) {
    if (shape.circular) {
      double d = distance(shape.x, shape.y, xy[0], xy[1]);
      return d > shape.radius * shape.conversion ? null : d;
    }
    double widthM = shape.width * shape.conversion;
    double heightM = shape.height * shape.conversion;
    double latDistance = latDistance(xy[1], shape.y);
    if (latDistance > heightM / 2) {
      return null;
    }
    double lonDistance = distance(xy[0], xy[1], shape.x, xy[1]);
    if (lonDistance > widthM / 2) {
      return null;
    }
    return distance(shape.x, shape.y, xy[0], xy[1]);
  }

  /** Redis's GEOHASH string: the position re-encoded over [-180,180] x [-90,90], 10 base-32 chars and a '0'. */
  static String geohashString(double[] xy) {
    String alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
    Bits hash = encode(-180, 180, -90, 90, xy[0], xy[1], 26);
    long bits = hash == null ? 0 : hash.bits();
    char[] buf = new char[11];
    for (int i = 0; i < 11; i++) {
      int idx = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
      buf[i] = alphabet.charAt(idx);
    }
    return new String(buf);
  }

  /** fixedpoint_d2string(d, 4): llrint(d * 10^4) printed with 4 decimals (GEODIST, WITHDIST). */
  static String distanceText(double d) {
    if (d == 0) {
      return "0.0000";
    }
    double scaled = Math.rint(d * 10000.0);
    long svalue = (Double.isNaN(scaled) || Math.abs(scaled) >= 9.223372036854775807E18) ? Long.MIN_VALUE : (long) scaled;
    BigDecimal v = new BigDecimal(java.math.BigInteger.valueOf(svalue), 4);
    String s = v.abs().toPlainString();
    return svalue < 0 ? "-" + s : s;
  }

  /** ld2string(LD_STR_HUMAN) of a double: "%.17Lf" with trailing zeros and the point removed, "-0" as "0". */
  static String humanText(double d) {
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (Double.isNaN(d)) {
      return "nan";
    }
    return io.kaiware.command.string.LongDoubles.format(new BigDecimal(d));
  }

  /** C's printf("%f"): six decimals of the exact value, "inf"/"-inf"/"nan"/"-nan". */
  static String printfF(double d) {
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (Double.isNaN(d)) {
      return "nan";
    }
    String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    if ((d < 0 || (d == 0 && 1 / d < 0)) && !s.startsWith("-")) {
      s = "-" + s;
    }
    return s;
  }
}
