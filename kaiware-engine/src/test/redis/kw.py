"""Shared helpers: a raw-socket RESP client, Redis's CRC-64 and a canonical text of a key's value.

Start a redis-server 7.0.15 of your own first, e.g.
  redis-server --port 0 --unixsocket /tmp/kw-dump/redis.sock --save '' --dir /tmp/kw-dump --enable-debug-command yes
and point REDIS_SOCK at its socket."""
import os
import socket

SOCK = os.environ.get('REDIS_SOCK', '/tmp/kw-dump/redis.sock')


class Redis:
    def __init__(self, path=SOCK):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.f = self.s.makefile('rb')

    def __call__(self, *args):
        out = [b'*%d\r\n' % len(args)]
        for a in args:
            if isinstance(a, str):
                a = a.encode('latin-1')
            elif isinstance(a, int):
                a = str(a).encode()
            out.append(b'$%d\r\n%s\r\n' % (len(a), a))
        self.s.sendall(b''.join(out))
        return self.read()

    def read(self):
        line = self.f.readline()[:-2]
        t, rest = line[:1], line[1:]
        if t == b'+':
            return rest.decode()
        if t == b'-':
            return Err(rest.decode())
        if t == b':':
            return int(rest)
        if t == b'$':
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)[:-2]
            return data
        if t == b'*':
            n = int(rest)
            if n < 0:
                return None
            return [self.read() for _ in range(n)]
        raise ValueError(line)


class Err(str):
    pass


POLY = int('{:064b}'.format(0xad93d23594c935a9)[::-1], 2)
TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ POLY if c & 1 else c >> 1
    TABLE.append(c)


def crc64(data, crc=0):
    for b in data:
        crc = TABLE[(crc ^ b) & 0xff] ^ (crc >> 8)
    return crc


def payload(type_and_value, version=10):
    body = type_and_value + bytes([version & 0xff, version >> 8])
    return body + crc64(body).to_bytes(8, 'little')


def h(b):
    return b.hex()


def canonical(r, key):
    """The value at key as text both sides compute: type, then the elements as hex."""
    t = r('TYPE', key)
    if t == 'string':
        return 'string:' + h(r('GET', key))
    if t == 'list':
        return 'list:' + ','.join(h(e) for e in r('LRANGE', key, 0, -1))
    if t == 'set':
        return 'set:' + ','.join(sorted(h(e) for e in r('SMEMBERS', key)))
    if t == 'hash':
        a = r('HGETALL', key)
        return 'hash:' + ','.join(sorted(h(a[i]) + '=' + h(a[i + 1]) for i in range(0, len(a), 2)))
    if t == 'zset':
        a = r('ZRANGE', key, 0, -1, 'WITHSCORES')
        return 'zset:' + ','.join(h(a[i]) + '=' + a[i + 1].decode() for i in range(0, len(a), 2))
    if t == 'stream':
        parts = []
        for eid, fv in r('XRANGE', key, '-', '+'):
            parts.append(eid.decode() + '[' + ','.join(h(x) for x in fv) + ']')
        info = r('XINFO', 'STREAM', key)
        d = {info[i].decode(): info[i + 1] for i in range(0, len(info), 2)}
        meta = 'len=%d last=%s maxdel=%s added=%d first=%s' % (
            d['length'], d['last-generated-id'].decode(), d['max-deleted-entry-id'].decode(),
            d['entries-added'], d['recorded-first-entry-id'].decode())
        groups = []
        for g in r('XINFO', 'GROUPS', key):
            gd = {g[i].decode(): g[i + 1] for i in range(0, len(g), 2)}
            name = gd['name']
            pend = r('XPENDING', key, name, '-', '+', 1000000)
            pel = ';'.join('%s@%s#%d' % (p[0].decode(), h(p[1]), p[3]) for p in pend)
            cons = ';'.join(sorted(h(c[1]) for c in r('XINFO', 'CONSUMERS', key, name)))
            groups.append('%s:last=%s read=%s pel=[%s] consumers=[%s]' % (
                h(name), gd['last-delivered-id'].decode(),
                'nil' if gd['entries-read'] is None else gd['entries-read'], pel, cons))
        return 'stream:' + ' '.join(parts) + ' |' + meta + ' |' + ' '.join(groups)
    raise ValueError(t)
