#!/usr/bin/env python3
"""Captures Redis 7.0.15's raw replies for GeoCommandsTest.

Runs every command of the case list below against a real Redis (default port 16441) and writes
redis-7.0.15-replies.txt: for each command a line "> " + JSON array of arguments, then a line
"< " + JSON string of the exact RESP reply bytes (latin-1). GeoCommandsTest replays the commands on
Kaiware and compares the bytes. Regenerate: python3 capture.py [port]
"""
import json, os, random, socket, sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 16441


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def _fill(self):
        d = self.s.recv(65536)
        if not d:
            raise EOFError
        self.buf += d

    def _line(self, pos):
        while True:
            i = self.buf.find(b"\r\n", pos)
            if i >= 0:
                return i
            self._fill()

    def _reply_end(self, pos):
        eol = self._line(pos)
        t = self.buf[pos:pos + 1]
        head = self.buf[pos + 1:eol]
        nxt = eol + 2
        if t in (b"$", b"=", b"!"):
            n = int(head)
            if n < 0:
                return nxt
            while len(self.buf) < nxt + n + 2:
                self._fill()
            return nxt + n + 2
        if t in (b"*", b"~", b">", b"%"):
            n = int(head)
            if t == b"%":
                n *= 2
            for _ in range(max(n, 0)):
                nxt = self._reply_end(nxt)
            return nxt
        return nxt

    def call(self, args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode("latin-1")
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(out)
        end = self._reply_end(0)
        r = self.buf[:end]
        self.buf = self.buf[end:]
        return r.decode("latin-1")


def cases():
    c = []
    add = c.append
    # GEOADD and its options (tests/unit/geo.tcl plus edges)
    add(["FLUSHALL"])
    add(["GEOADD", "nyc", "-73.9454966", "40.747533", "lic market"])
    add(["GEOADD", "nyc", "-73.9733487", "40.7648057", "central park n/q/r", "-73.9903085", "40.7362513", "union square",
         "-74.0131604", "40.7126674", "wtc one", "-73.7858139", "40.6428986", "jfk", "-73.9375699", "40.7498929", "q4",
         "-73.9564142", "40.7480973", "4545"])
    add(["ZRANGE", "nyc", "0", "-1", "WITHSCORES"])
    add(["GEOADD", "nyc", "NX", "-73.9454966", "40.747533", "lic market", "-73.9", "40.7", "new one"])
    add(["GEOADD", "nyc", "XX", "CH", "-73.9454966", "40.747534", "lic market", "-73.9", "40.7", "ghost"])
    add(["GEOADD", "nyc", "CH", "XX", "-73.9454966", "40.747534", "lic market"])
    add(["GEOADD", "nyc", "CH", "NX", "XX", "10", "10", "x"])
    add(["GEOADD", "nyc", "XX", "NX", "10", "10", "x"])
    add(["GEOADD", "nyc", "10", "10", "x", "20"])
    add(["GEOADD", "nyc", "CH", "NX", "CH"])
    add(["GEOADD", "nyc", "GT", "10", "10", "x"])
    add(["GEOADD", "nyc", "200", "100", "x"])
    add(["GEOADD", "nyc", "-180.0000001", "0", "x"])
    add(["GEOADD", "nyc", "0", "85.05112879", "x"])
    add(["GEOADD", "nyc", "0", "-85.05112879", "x"])
    add(["GEOADD", "nyc", "inf", "0", "x"])
    add(["GEOADD", "nyc", "1", "-inf", "x"])
    add(["GEOADD", "nyc", "0.1234565", "100.9999995", "x"])
    add(["GEOADD", "nyc", "abc", "0", "x"])
    add(["GEOADD", "nyc", "0", "nan", "x"])
    add(["GEOADD", "nyc", " 1", "0", "x"])
    add(["GEOADD", "nyc", "1", "1", "ok", "500", "1", "bad"])
    add(["ZSCORE", "nyc", "ok"])
    add(["GEOADD", "newkey", "XX", "1", "1", "a"])
    add(["EXISTS", "newkey"])
    add(["GEOADD", "edges", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw", "0", "0", "origin",
         "-0", "-0", "negzero", "179.9999999", "0", "east", "0x10", "1e1", "hex"])
    add(["ZRANGE", "edges", "0", "-1", "WITHSCORES"])
    add(["GEOPOS", "edges", "ne", "sw", "origin", "negzero", "east", "hex", "missing"])
    add(["GEOHASH", "edges", "ne", "sw", "origin", "negzero", "east", "hex", "missing"])
    add(["GEODIST", "edges", "ne", "sw"])
    add(["GEODIST", "edges", "origin", "east", "km"])
    add(["SET", "str", "v"])
    for cmd in (["GEOADD", "str", "1", "1", "a"], ["GEOPOS", "str", "a"], ["GEOHASH", "str", "a"],
                ["GEODIST", "str", "a", "b"], ["GEORADIUS", "str", "1", "1", "1", "km"],
                ["GEORADIUSBYMEMBER", "str", "a", "1", "km"], ["GEOSEARCH", "str", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"],
                ["GEOSEARCHSTORE", "dst", "str", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"]):
        add(cmd)
    # GEOPOS, GEOHASH, GEODIST
    add(["GEOPOS", "nyc", "lic market", "jfk", "nope"])
    add(["GEOPOS", "nokey", "a", "b"])
    add(["GEOPOS", "nyc"])
    add(["GEOHASH", "nyc", "lic market", "jfk", "nope"])
    add(["GEOHASH", "nokey", "a"])
    add(["GEOHASH", "nyc"])
    add(["GEODIST", "nyc", "lic market", "jfk"])
    for u in ("m", "KM", "ft", "Mi"):
        add(["GEODIST", "nyc", "wtc one", "jfk", u])
    add(["GEODIST", "nyc", "wtc one", "jfk", "yd"])
    add(["GEODIST", "nyc", "wtc one", "jfk", "km", "extra"])
    add(["GEODIST", "nyc", "wtc one", "nope"])
    add(["GEODIST", "nyc", "nope", "wtc one"])
    add(["GEODIST", "nyc", "jfk", "jfk"])
    add(["GEODIST", "nokey", "a", "b"])
    add(["GEODIST", "nokey", "a", "b", "furlong"])
    add(["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"])
    add(["GEODIST", "Sicily", "Palermo", "Catania"])
    add(["GEOHASH", "Sicily", "Palermo", "Catania"])
    add(["GEOPOS", "Sicily", "Palermo", "Catania", "NonExisting"])
    add(["ZADD", "weird", "-1", "neg", "4503599627370496", "big", "4503599627370495", "max52", "1.5", "frac", "inf", "inf", "1e30", "huge"])
    add(["GEOPOS", "weird", "neg", "big", "max52", "frac", "inf", "huge"])
    add(["GEOHASH", "weird", "neg", "big", "max52", "frac", "inf", "huge"])
    add(["GEODIST", "weird", "max52", "frac"])
    # GEORADIUS family
    for cmd in ("GEORADIUS", "GEORADIUS_RO"):
        add([cmd, "nyc", "-73.9798091", "40.7598464", "3", "km", "asc"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "3", "km", "desc", "WITHDIST", "WITHHASH", "WITHCOORD"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "3"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "2", "ANY"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "ANY"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "0"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "-1"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "x"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "STORE", "dst"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "10", "km", "STORE"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "x", "km"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "-1", "km"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "1", "yd"])
        add([cmd, "nyc", "-73.9798091", "95", "1", "km"])
        add([cmd, "nyc", "x", "40", "1", "km"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "0", "km", "WITHDIST"])
        add([cmd, "nokey", "1", "1", "1", "km"])
        add([cmd, "nokey", "1", "1", "1", "km", "BOGUS"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "1", "km", "FROMMEMBER", "jfk"])
        add([cmd, "nyc", "-73.9798091", "40.7598464", "1", "km", "STOREDIST"])
    for cmd in ("GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"):
        add([cmd, "nyc", "wtc one", "7", "km"])
        add([cmd, "nyc", "wtc one", "7", "km", "WITHDIST", "WITHCOORD", "WITHHASH", "ASC"])
        add([cmd, "nyc", "wtc one", "7", "km", "WITHDIST", "COUNT", "2", "DESC"])
        add([cmd, "nyc", "nope", "7", "km"])
        add([cmd, "nyc", "nope", "x", "km"])
        add([cmd, "nyc", "wtc one", "x", "km"])
        add([cmd, "nyc", "wtc one", "7", "au"])
        add([cmd, "nokey", "nope", "x", "km"])
        add([cmd, "nokey", "nope", "x", "km", "STORE", "dst"])
        add([cmd, "nokey", "nope", "x", "km", "WITHDIST", "STORE", "dst"])
        add([cmd, "nyc", "wtc one", "7", "km", "STOREDIST", "dst2"])
    # STORE / STOREDIST
    add(["GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "STORE", "st"])
    add(["ZRANGE", "st", "0", "-1", "WITHSCORES"])
    add(["GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "STOREDIST", "sd", "COUNT", "3", "DESC"])
    add(["ZRANGE", "sd", "0", "-1", "WITHSCORES"])
    add(["GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "mi", "STOREDIST", "sd"])
    add(["ZRANGE", "sd", "0", "-1", "WITHSCORES"])
    add(["GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "STORE", "st", "WITHDIST"])
    add(["GEORADIUS", "nyc", "0", "0", "10", "km", "STORE", "st"])
    add(["EXISTS", "st"])
    add(["GEORADIUS", "nokey", "0", "0", "10", "km", "STORE", "sd"])
    add(["EXISTS", "sd"])
    add(["GEORADIUSBYMEMBER", "nyc", "jfk", "20", "km", "STORE", "st", "STOREDIST", "sd"])
    add(["EXISTS", "st", "sd"])
    add(["ZRANGE", "sd", "0", "-1", "WITHSCORES"])
    add(["GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "STORE", "nyc"])
    add(["ZRANGE", "nyc", "0", "-1", "WITHSCORES"])
    add(["OBJECT", "ENCODING", "nyc"])
    # GEOSEARCH
    base = ["GEOSEARCH", "nyc"]
    add(base + ["FROMLONLAT", "-73.9798091", "40.7598464", "BYRADIUS", "3", "km", "ASC"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "14", "14", "km", "WITHDIST", "WITHCOORD", "WITHHASH"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "14", "14", "km", "DESC", "COUNT", "3"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "14", "14", "km", "COUNT", "3", "ANY"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "14", "14", "km", "COUNT", "3", "ANY", "ASC"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "-1", "14", "km"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "x", "14", "km"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "1", "y", "km"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "1", "1", "parsec"])
    add(base + ["FROMMEMBER", "wtc one", "BYBOX", "1", "1"])
    add(base + ["FROMMEMBER", "wtc one", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"])
    add(base + ["FROMMEMBER", "wtc one", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"])
    add(base + ["FROMLONLAT", "1", "1", "FROMMEMBER", "wtc one", "BYRADIUS", "1", "km"])
    add(base + ["FROMMEMBER", "wtc one", "FROMMEMBER", "jfk", "BYRADIUS", "1", "km"])
    add(base + ["FROMMEMBER", "wtc one", "BYRADIUS", "1", "km", "BYRADIUS", "30", "km"])
    add(base + ["FROMMEMBER", "nope", "BYRADIUS", "1", "km"])
    add(base + ["FROMLONLAT", "1", "1000", "BYRADIUS", "1", "km"])
    add(base + ["BYRADIUS", "1", "km"])
    add(["geosearch", "nyc", "BYRADIUS", "1", "km", "COUNT", "1"])
    add(["GeoSearch", "nyc", "FROMLONLAT", "1", "1", "WITHDIST"])
    add(base + ["FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "STORE", "x"])
    add(base + ["FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "STOREDIST"])
    add(base + ["FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "ANY"])
    add(["GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km"])
    add(["GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYBOX", "1", "km"])
    add(["GEOSEARCH", "nokey", "FROMMEMBER", "x"])
    add(["GEOSEARCH", "nyc", "FROMLONLAT", "-73.9798091", "40.7598464", "BYRADIUS", "0", "m"])
    # GEOSEARCHSTORE
    add(["GEOSEARCHSTORE", "gs", "nyc", "FROMMEMBER", "wtc one", "BYRADIUS", "10", "km"])
    add(["ZRANGE", "gs", "0", "-1", "WITHSCORES"])
    add(["GEOSEARCHSTORE", "gs", "nyc", "FROMMEMBER", "wtc one", "BYRADIUS", "10", "km", "STOREDIST", "COUNT", "2", "DESC"])
    add(["ZRANGE", "gs", "0", "-1", "WITHSCORES"])
    add(["GEOSEARCHSTORE", "gs", "nyc", "FROMMEMBER", "wtc one", "BYRADIUS", "10", "km", "WITHDIST"])
    add(["GEOSEARCHSTORE", "gs", "nyc", "FROMMEMBER", "wtc one", "BYRADIUS", "10", "km", "STORE", "x"])
    add(["GEOSEARCHSTORE", "gs", "nyc", "FROMLONLAT", "0", "0", "BYRADIUS", "10", "km"])
    add(["EXISTS", "gs"])
    add(["SET", "gs", "string"])
    add(["GEOSEARCHSTORE", "gs", "nyc", "FROMMEMBER", "jfk", "BYBOX", "1", "1", "m"])
    add(["TYPE", "gs"])
    add(["GEOSEARCHSTORE", "gs", "nokey", "FROMMEMBER", "jfk", "BYBOX", "1", "1", "m"])
    add(["EXISTS", "gs"])
    add(["GEOSEARCHSTORE", "gs", "nyc", "FROMMEMBER", "jfk", "BYBOX", "1", "1"])
    # Points around the antimeridian, the poles' limits and the equator.
    add(["GEOADD", "world", "179.9", "0", "e1", "-179.9", "0", "w1", "179.99", "10", "e2", "-179.99", "-10", "w2",
         "0", "85", "n1", "90", "84.9", "n2", "-90", "-85", "s1", "0", "0", "o", "0.001", "-0.001", "o2",
         "100", "66.5", "arctic", "-100", "-80.5", "antarctic"])
    add(["GEOSEARCH", "world", "FROMLONLAT", "180", "0", "BYRADIUS", "100", "km", "WITHDIST"])
    add(["GEOSEARCH", "world", "FROMLONLAT", "-180", "0", "BYBOX", "2000", "3000", "km", "WITHDIST", "ASC"])
    add(["GEOSEARCH", "world", "FROMLONLAT", "0", "84", "BYRADIUS", "5000", "km", "WITHCOORD", "ASC"])
    add(["GEOSEARCH", "world", "FROMLONLAT", "0", "0", "BYRADIUS", "20000", "km", "WITHDIST", "ASC"])
    add(["GEOSEARCH", "world", "FROMLONLAT", "0", "0", "BYRADIUS", "500", "m", "WITHDIST"])
    add(["GEOSEARCH", "world", "FROMLONLAT", "0", "0", "BYBOX", "40000", "40000", "km", "DESC"])
    add(["GEOSEARCH", "world", "FROMMEMBER", "arctic", "BYRADIUS", "3000", "km", "WITHDIST"])
    add(["GEOSEARCH", "world", "FROMMEMBER", "antarctic", "BYBOX", "6000", "3000", "km", "WITHDIST"])
    add(["GEOSEARCH", "world", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "ft", "WITHDIST"])
    add(["GEOSEARCH", "world", "FROMLONLAT", "0.0005", "-0.0005", "BYRADIUS", "1", "mi", "WITHDIST", "WITHHASH"])
    # Random points and searches (seeded), both unsorted and sorted.
    rnd = random.Random(7015)
    pts = []
    for i in range(400):
        lon = round(rnd.uniform(-20, 20), 6)
        lat = round(rnd.uniform(-20, 20), 6)
        pts += [repr(lon), repr(lat), "p%d" % i]
    for i in range(0, len(pts), 60):
        add(["GEOADD", "rnd"] + pts[i:i + 60])
    for i in range(40):
        lon = repr(round(rnd.uniform(-22, 22), 5))
        lat = repr(round(rnd.uniform(-22, 22), 5))
        r = repr(round(rnd.uniform(1, 1500), 3))
        w = repr(round(rnd.uniform(1, 3000), 3))
        h = repr(round(rnd.uniform(1, 3000), 3))
        add(["GEOSEARCH", "rnd", "FROMLONLAT", lon, lat, "BYRADIUS", r, "km", "WITHDIST", "ASC"])
        add(["GEOSEARCH", "rnd", "FROMLONLAT", lon, lat, "BYBOX", w, h, "km", "WITHHASH"])
        add(["GEORADIUS", "rnd", lon, lat, r, "km", "COUNT", "5", "WITHCOORD"])
        add(["GEORADIUSBYMEMBER_RO", "rnd", "p%d" % i, r, "mi", "WITHDIST", "DESC"])
        add(["GEODIST", "rnd", "p%d" % i, "p%d" % (i + 100), "km"])
    # Ties: many members at a few positions, so that COUNT's partial sort (pqsort) decides who is in.
    tie = []
    for i in range(120):
        spot = i % 4
        tie += [repr(1 + spot * 0.01), repr(1 + spot * 0.005), "t%03d" % ((i * 37) % 120)]
    add(["GEOADD", "ties"] + tie)
    for n in ("1", "3", "7", "10", "31", "41", "60", "100", "119"):
        add(["GEOSEARCH", "ties", "FROMLONLAT", "1.011", "1.0055", "BYRADIUS", "100", "km", "COUNT", n])
        add(["GEOSEARCH", "ties", "FROMLONLAT", "1.011", "1.0055", "BYRADIUS", "100", "km", "COUNT", n, "DESC", "WITHDIST"])
    add(["GEOSEARCH", "ties", "FROMLONLAT", "1.011", "1.0055", "BYRADIUS", "100", "km", "ASC"])
    add(["GEOSEARCHSTORE", "tiesd", "ties", "FROMLONLAT", "1", "1", "BYBOX", "500", "500", "km", "COUNT", "50", "STOREDIST"])
    add(["ZRANGE", "tiesd", "0", "-1", "WITHSCORES"])
    for i in range(15):
        n = str(rnd.randint(1, 60))
        add(["GEORADIUS", "rnd", repr(round(rnd.uniform(-5, 5), 4)), repr(round(rnd.uniform(-5, 5), 4)), "3000", "km",
             "COUNT", n, rnd.choice(["ASC", "DESC"])])
    # Full-precision distances (STOREDIST scores print with %.17g): the trigonometry must agree to the bit.
    for i in range(30):
        add(["GEOSEARCHSTORE", "sdist", "rnd", "FROMLONLAT", repr(round(rnd.uniform(-20, 20), 6)),
             repr(round(rnd.uniform(-20, 20), 6)), "BYRADIUS", repr(round(rnd.uniform(100, 2500), 2)),
             rnd.choice(["m", "km", "ft", "mi"]), "STOREDIST"])
        add(["ZRANGE", "sdist", "0", "-1", "WITHSCORES"])
    add(["GEOHASH", "rnd"] + ["p%d" % i for i in range(0, 400, 7)])
    add(["GEOPOS", "rnd"] + ["p%d" % i for i in range(0, 400, 9)])
    # Declarations: COMMAND INFO (arity, flags, key specs) and key extraction
    add(["COMMAND", "INFO", "geoadd", "geodist", "geohash", "geopos", "georadius", "georadius_ro", "georadiusbymember",
         "georadiusbymember_ro", "geosearch", "geosearchstore"])
    add(["COMMAND", "GETKEYS", "GEORADIUS", "src", "1", "1", "1", "km", "STORE", "a", "STOREDIST", "b"])
    add(["COMMAND", "GETKEYS", "GEORADIUS", "src", "1", "1", "1", "km", "store", "a"])
    add(["COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "src", "m", "1", "km", "STOREDIST", "a"])
    add(["COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "src", "m", "1", "km", "WITHDIST"])
    add(["COMMAND", "GETKEYS", "GEOSEARCHSTORE", "dst", "src", "FROMMEMBER", "m", "BYRADIUS", "1", "km"])
    for cmd in (["GEOADD", "k", "1", "1"], ["GEODIST", "k", "a"], ["GEOHASH"], ["GEOPOS"], ["GEORADIUS", "k", "1", "1", "1"],
                ["GEORADIUS_RO", "k", "1", "1", "1"], ["GEORADIUSBYMEMBER", "k", "m", "1"], ["GEORADIUSBYMEMBER_RO", "k", "m", "1"],
                ["GEOSEARCH", "k", "FROMMEMBER", "m", "BYRADIUS", "1"], ["GEOSEARCHSTORE", "d", "k", "FROMMEMBER", "m", "BYRADIUS", "1"]):
        add(cmd)
    # RESP3
    add(["HELLO", "3"])
    add(["GEOPOS", "nyc", "lic market", "nope"])
    add(["GEOPOS", "nokey", "x"])
    add(["GEODIST", "nyc", "lic market", "jfk"])
    add(["GEODIST", "nyc", "lic market", "nope"])
    add(["GEODIST", "nokey", "a", "b"])
    add(["GEOHASH", "nyc", "lic market", "nope"])
    add(["GEOSEARCH", "nyc", "FROMMEMBER", "wtc one", "BYRADIUS", "10", "km", "WITHDIST", "WITHHASH", "WITHCOORD", "ASC"])
    add(["GEORADIUS_RO", "nyc", "-73.9798091", "40.7598464", "3", "km", "WITHCOORD", "asc"])
    add(["GEOSEARCH", "edges", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "WITHCOORD"])
    add(["GEOSEARCH", "nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "WITHCOORD"])
    add(["GEOPOS", "weird", "neg", "big", "max52", "frac", "inf", "huge"])
    add(["HELLO", "2"])
    return c


def main():
    conn = Conn(PORT)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "redis-7.0.15-replies.txt"), "w", encoding="latin-1") as f:
        for args in cases():
            reply = conn.call(args)
            if args[0] == "HELLO":
                reply = ""  # server info differs; only the protocol switch matters
            f.write("> " + json.dumps(args) + "\n")
            f.write("< " + json.dumps(reply) + "\n")


main()
