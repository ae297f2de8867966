"""Usage: capture.py kaiware-engine/src/test/resources/io/kaiware/engine/redis-7.0.15-dumps.tsv

Captures Redis 7.0.15 DUMP payloads of every type and encoding, with the value as Redis reads it.

Output lines: name TAB hex-payload TAB canonical (see kw.canonical). Also payloads built from the old
encodings in Redis's tests/assets RDB files (verified by RESTOREing them into this Redis)."""
import os
import sys
from kw import Redis, Err, payload, canonical, crc64

r = Redis()
r('FLUSHALL')
r('CONFIG', 'SET', 'rdbcompression', 'yes')
out = []


def rec(name, key=None, expect_type=None):
    key = key or name
    p = r('DUMP', key)
    assert p is not None, key
    body = p[:-8]
    assert crc64(body) == int.from_bytes(p[-8:], 'little'), 'crc mismatch'
    if expect_type is not None:
        assert p[0] == expect_type, (name, p[0], expect_type)
    enc = r('OBJECT', 'ENCODING', key)
    out.append((name, p, canonical(r, key), enc))


# ---- strings
r('SET', 'str_short', 'hello')
r('SET', 'str_int8', '-5')
r('SET', 'str_int16', '1000')
r('SET', 'str_int32', '-100000')
r('SET', 'str_int64', '12345678901')
r('SET', 'str_leading_zero', '007')
r('SET', 'str_empty', '')
r('SET', 'str_bin', bytes(range(256)))
r('SET', 'str_lzf', 'a' * 200)
r('SET', 'str_lzf_text', ('The quick brown fox jumps over the lazy dog. ' * 40))
r('SET', 'str_lzf_big', ''.join('k%05d' % (i % 500) for i in range(2000)))
r('SET', 'str_incompressible', bytes((i * 7919 + 13) % 251 for i in range(100)))
for k in ['str_short', 'str_int8', 'str_int16', 'str_int32', 'str_int64', 'str_leading_zero', 'str_empty',
          'str_bin', 'str_lzf', 'str_lzf_text', 'str_lzf_big', 'str_incompressible']:
    rec(k, expect_type=0)

# ---- lists (quicklist 2, packed nodes)
r('RPUSH', 'list_small', 'a', 'b', 'c', '1', '2', '-3', '')
ints = [0, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, -32768, 32768, 8388607, -8388608, 8388608,
        2147483647, -2147483648, 2147483648, 9223372036854775807, -9223372036854775808]
r('RPUSH', 'list_encodings', *([str(i) for i in ints] + ['x' * 63, 'y' * 64, 'z' * 4095, 'w' * 4096, 'v' * 5000]))
r('RPUSH', 'list_big', *['element-%d' % i for i in range(3000)])
r('RPUSH', 'list_lzf_nodes', *['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%d' % i for i in range(500)])
rec('list_small', expect_type=18)
rec('list_encodings', expect_type=18)
rec('list_big', expect_type=18)
rec('list_lzf_nodes', expect_type=18)
# plain nodes: elements at or above the packed threshold
r('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100')
r('RPUSH', 'list_plain', 'small', 'p' * 150, 'tail', 'q' * 300)
rec('list_plain', expect_type=18)
r('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', str(1 << 30))

# ---- sets
r('SADD', 'set_intset16', '1', '2', '3', '-100', '5')
r('SADD', 'set_intset32', '1', '70000', '-70000')
r('SADD', 'set_intset64', '1', '5000000000', '-9223372036854775808', '9223372036854775807')
r('SADD', 'set_strs', 'a', 'b', 'c', '1')
r('SADD', 'set_big_ints', *[str(i * 3) for i in range(1000)])
r('SADD', 'set_big_strs', *['member:%d' % i for i in range(700)])
rec('set_intset16', expect_type=11)
rec('set_intset32', expect_type=11)
rec('set_intset64', expect_type=11)
rec('set_strs', expect_type=2)
rec('set_big_ints', expect_type=2)
rec('set_big_strs', expect_type=2)

# ---- sorted sets
r('ZADD', 'zset_small', '1', 'one', '2.5', 'two.5', '-3', 'minus3', '+inf', 'inf', '-inf', 'ninf',
  '1e300', 'huge', '0.1', 'tenth', '123456789012', 'bigint', '3', '3')
r('ZADD', 'zset_big', *sum([[str(i * 0.5), 'm%d' % i] for i in range(300)], []))
r('ZADD', 'zset_long_member', '1', 'x' * 100, '2', 'y')
rec('zset_small', expect_type=17)
rec('zset_big', expect_type=5)
rec('zset_long_member', expect_type=5)

# ---- hashes
r('HSET', 'hash_small', 'name', 'kaiware', 'n', '42', 'neg', '-7', 'empty', '', 'big', '99999999999')
r('HSET', 'hash_big', *sum([['field:%d' % i, 'value:%d' % i] for i in range(600)], []))
r('HSET', 'hash_long_value', 'a', 'v' * 100, 'b', '2')
rec('hash_small', expect_type=16)
rec('hash_big', expect_type=4)
rec('hash_long_value', expect_type=4)

# ---- streams
r('XADD', 'stream_small', '1-1', 'f', 'v1', 'g', 'w1')
r('XADD', 'stream_small', '1-2', 'f', 'v2', 'g', 'w2')
r('XADD', 'stream_small', '2-0', 'other', 'x', 'num', '17')
r('XADD', 'stream_small', '3-0', 'f', 'v4', 'g', 'w4')
r('XADD', 'stream_small', '4-0', 'f', 'v5', 'g', 'w5')
r('XDEL', 'stream_small', '1-2')
r('XGROUP', 'CREATE', 'stream_small', 'grp', '0')
r('XGROUP', 'CREATE', 'stream_small', 'idle', '$')
r('XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '2', 'STREAMS', 'stream_small', '>')
r('XREADGROUP', 'GROUP', 'grp', 'bob', 'COUNT', '1', 'STREAMS', 'stream_small', '>')
r('XREADGROUP', 'GROUP', 'grp', 'bob', 'STREAMS', 'stream_small', '0')
r('XGROUP', 'CREATECONSUMER', 'stream_small', 'grp', 'carol')
rec('stream_small', expect_type=19)
for i in range(1, 501):
    r('XADD', 'stream_big', '%d-0' % (1000 + i), 'field', 'value-%d' % i, 'n', str(i))
r('XDEL', 'stream_big', '1007-0', '1300-0')
r('XTRIM', 'stream_big', 'MAXLEN', '450')
r('XGROUP', 'CREATE', 'stream_big', 'g', '1100-0', 'ENTRIESREAD', '100')
rec('stream_big', expect_type=19)
r('XADD', 'stream_empty', '5-5', 'a', 'b')
r('XDEL', 'stream_empty', '5-5')
r('XGROUP', 'CREATE', 'stream_empty', 'g', '$')
rec('stream_empty', expect_type=19)

# ---- old encodings, from Redis's test assets (RDB files written by older versions)
ASSETS = os.environ.get('REDIS_SRC', os.path.expanduser('~/.cache/kaiware/redis-src/redis-7.0.15')) + '/tests/assets/'


class Rdb:
    def __init__(self, data):
        self.d = data
        self.p = 0

    def byte(self):
        b = self.d[self.p]
        self.p += 1
        return b

    def length(self):
        b = self.byte()
        t = b >> 6
        if t == 0:
            return b & 63, False
        if t == 1:
            return ((b & 63) << 8) | self.byte(), False
        if t == 3:
            return b & 63, True
        if b == 0x80:
            v = int.from_bytes(self.d[self.p:self.p + 4], 'big')
            self.p += 4
            return v, False
        v = int.from_bytes(self.d[self.p:self.p + 8], 'big')
        self.p += 8
        return v, False

    def string(self):
        n, enc = self.length()
        if not enc:
            self.p += n
        elif n == 0:
            self.p += 1
        elif n == 1:
            self.p += 2
        elif n == 2:
            self.p += 4
        else:
            clen, _ = self.length()
            self.length()
            self.p += clen

    def value(self, t):
        if t == 0:
            self.string()
        elif t in (1, 2, 14):
            n, _ = self.length()
            for _ in range(n):
                self.string()
        elif t == 3:
            n, _ = self.length()
            for _ in range(n):
                self.string()
                l = self.byte()
                if l < 253:
                    self.p += l
        elif t == 4:
            n, _ = self.length()
            for _ in range(2 * n):
                self.string()
        elif t == 5:
            n, _ = self.length()
            for _ in range(n):
                self.string()
                self.p += 8
        elif t in (9, 10, 11, 12, 13, 16, 17):
            self.string()
        elif t == 18:
            n, _ = self.length()
            for _ in range(n):
                self.length()
                self.string()
        else:
            raise ValueError(t)

    def keys(self):
        version = int(self.d[5:9])
        self.p = 9
        while True:
            op = self.byte()
            if op == 0xFF:
                return
            if op == 0xFA:
                self.string()
                self.string()
            elif op == 0xFE:
                self.length()
            elif op == 0xFB:
                self.length()
                self.length()
            elif op == 0xFC:
                self.p += 8
            elif op == 0xFD:
                self.p += 4
            else:
                start = self.p
                n, _ = self.length()
                key = self.d[self.p:self.p + n]
                self.p += n
                vstart = self.p
                self.value(op)
                yield version, op, key, self.d[vstart:self.p]


for f in ['encodings.rdb', 'hash-zipmap.rdb', 'hash-ziplist.rdb', 'list-quicklist.rdb', 'zset-ziplist.rdb']:
    data = open(ASSETS + f, 'rb').read()
    for version, t, key, value in Rdb(data).keys():
        name = 'asset_%s_%s_type%d' % (f.split('.')[0].replace('-', '_'), key.decode(), t)
        p = payload(bytes([t]) + value, version)
        res = r('RESTORE', name, 0, p)
        assert res == 'OK', (name, res)
        out.append((name, p, canonical(r, name), r('OBJECT', 'ENCODING', name)))


# ---- RDB_TYPE_STREAM_LISTPACKS (15): Redis 7.0's type 19 payload without the 7.0-only fields
def to_type15(p19):
    rd = Rdb(p19)
    rd.p = 1
    nodes, _ = rd.length()
    for _ in range(nodes):
        rd.string()
        rd.string()
    keep = bytearray(p19[1:rd.p])
    s = rd.p
    rd.length()  # length
    rd.length()
    rd.length()  # last id
    keep += p19[s:rd.p]
    rd.length(); rd.length(); rd.length(); rd.length(); rd.length()  # first, max deleted, added
    s = rd.p
    groups, _ = rd.length()
    keep += p19[s:rd.p]
    for _ in range(groups):
        s = rd.p
        rd.string(); rd.length(); rd.length()
        keep += p19[s:rd.p]
        rd.length()  # entries read
        s = rd.p
        pel, _ = rd.length()
        rd.p += pel * (16 + 8)
        for _ in range(pel):
            pass
        # delivery counts are lengths: re-walk properly
        rd.p = s
        pel, _ = rd.length()
        for _ in range(pel):
            rd.p += 16 + 8
            rd.length()
        cons, _ = rd.length()
        for _ in range(cons):
            rd.string()
            rd.p += 8
            n, _ = rd.length()
            rd.p += 16 * n
        keep += p19[s:rd.p]
    assert rd.p == len(p19) - 10, (rd.p, len(p19))
    return payload(bytes([15]) + bytes(keep), 9)


for name in ['stream_small', 'stream_big', 'stream_empty']:
    p = to_type15(dict((n, p) for n, p, c, e in out)[name])
    key = name + '_type15'
    res = r('RESTORE', key, 0, p)
    assert res == 'OK', (key, res)
    out.append((key, p, canonical(r, key), r('OBJECT', 'ENCODING', key)))

with open(sys.argv[1], 'w') as fh:
    fh.write('# Redis 7.0.15 DUMP payloads (capture.py): name, payload hex, the value as Redis reads it,\n')
    fh.write('# and Redis\'s OBJECT ENCODING. asset_* are built from tests/assets RDB files and RESTOREd by Redis;\n')
    fh.write('# *_type15 are the type 19 payloads without the 7.0-only fields, RESTOREd by Redis.\n')
    for name, p, c, enc in out:
        fh.write('%s\t%s\t%s\t%s\n' % (name, p.hex(), c, enc.decode() if isinstance(enc, bytes) else enc))
print(len(out), 'payloads')
for name, p, c, enc in out:
    print(name, p[0], len(p), enc)
