"""Usage (run by src/test/resources/rdb/make-fixtures.sh, which starts the redis-servers):
  rdb_fixtures.py fill OUT_DIR     (a server with rdbchecksum yes)
  rdb_fixtures.py resave OUT_DIR   (a server with rdbchecksum no, which loaded fill's file)

fill: fills a Redis 7.0.15 with keys of every type and encoding in several databases, SAVEs it
(rdbcompression yes) as OUT_DIR/redis-7.0.15.rdb and writes, for RdbFileReaderTest, what Redis
itself reads back for every key: OUT_DIR/redis-7.0.15.expected.tsv with lines
  db TAB key-hex TAB PEXPIRETIME (-1: none) TAB canonical value (kw.canonical)
resave: checks the loaded keyspace is the same and SAVEs it with rdbcompression no as
OUT_DIR/redis-7.0.15-nocompress-nochecksum.rdb (rdbchecksum is not modifiable at run time).
Deterministic except for the stream consumers' seen and delivery times, which the test ignores."""
import os
import shutil
import sys
from kw import Redis, canonical, h

mode, out_dir = sys.argv[1], sys.argv[2]
r = Redis()
FAR = 4102444800123  # 2100-01-01T00:00:00.123Z


def db0():
    r('SELECT', 0)
    r('SET', 'str_short', 'hello')
    r('SET', 'str_int8', '-5')
    r('SET', 'str_int16', '1000')
    r('SET', 'str_int32', '-100000')
    r('SET', 'str_int64', '12345678901')
    r('SET', 'str_leading_zero', '007')
    r('SET', 'str_empty', '')
    r('SET', 'str_bin', bytes(range(256)))
    r('SET', 'str_lzf', 'a' * 200)
    r('SET', 'str_lzf_text', 'The quick brown fox jumps over the lazy dog. ' * 40)
    r('SET', 'str_ttl', 'expiring')
    r('PEXPIREAT', 'str_ttl', FAR)
    r('SET', 'str_ttl_ms', 'x')
    r('PEXPIREAT', 'str_ttl_ms', FAR + 1)  # another TTL, ms precision
    r('RPUSH', 'list_small', 'a', 'b', 'c', '1', '2', '-3', '')
    r('RPUSH', 'list_big', *['element-%d' % i for i in range(3000)])  # several listpack nodes
    r('RPUSH', 'list_lzf_nodes', *['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%d' % i for i in range(500)])
    r('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100')  # plain nodes for elements of 100 bytes or more
    r('RPUSH', 'list_plain', 'small', 'p' * 150, 'tail', 'q' * 300)
    r('SADD', 'set_intset', '1', '2', '3', '-5', '100000', '-9223372036854775808')
    r('SADD', 'set_small', 'a', 'b', 'c', '1')
    r('SADD', 'set_big_ints', *[str(i * 3) for i in range(600)])  # past set-max-intset-entries
    r('SADD', 'set_big', *['member-%d' % i for i in range(300)])
    r('HSET', 'hash_small', 'f1', 'v1', 'f2', '2', 'num', '-77')
    r('HSET', 'hash_big', *[x for i in range(200) for x in ('field-%d' % i, 'value-%d' % i)])
    r('HSET', 'hash_long_value', 'f', 'v' * 100, 'g', 'short')
    r('ZADD', 'zset_small', '1', 'a', '2.5', 'b', '-inf', 'c', '+inf', 'd', '-3', 'e')
    r('ZADD', 'zset_big', *[x for i in range(200) for x in (str(i * 0.5), 'm-%d' % i)])
    r('ZADD', 'zset_long_member', '1', 'x' * 100, '2', 'y')


def db1():
    r('SELECT', 1)
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
    for i in range(500):
        r('XADD', 'stream_big', '%d-0' % (1000 + i), 'field', 'value-%d' % i, 'n', str(i))
    r('XDEL', 'stream_big', '1007-0', '1300-0')
    r('XTRIM', 'stream_big', 'MAXLEN', '450')
    r('XGROUP', 'CREATE', 'stream_big', 'g', '1100-0', 'ENTRIESREAD', '100')
    r('XADD', 'stream_empty', '5-5', 'a', 'b')
    r('XDEL', 'stream_empty', '5-5')
    r('XGROUP', 'CREATE', 'stream_empty', 'g', '$')
    r('HSET', 'hash_ttl', 'a', '1')
    r('PEXPIREAT', 'hash_ttl', FAR + 2)
    r('SET', 'str_short', 'same key, other db')


def db7():
    r('SELECT', 7)
    r('RPUSH', 'list_ttl', 'x', 'y')
    r('PEXPIREAT', 'list_ttl', FAR + 3)
    r('SET', '12345', 'an integer-looking key')


def expected_lines():
    lines = []
    for db in range(16):
        r('SELECT', db)
        keys = []
        cursor = b'0'
        while True:
            cursor, batch = r('SCAN', cursor, 'COUNT', 1000)
            keys.extend(batch)
            if cursor == b'0':
                break
        for k in sorted(set(keys)):
            lines.append('%d\t%s\t%d\t%s' % (db, h(k), r('PEXPIRETIME', k), canonical(r, k)))
    return lines


def save(name):
    redis_dir = r('CONFIG', 'GET', 'dir')[1].decode()
    assert r('SAVE') == 'OK'
    shutil.copy(os.path.join(redis_dir, 'x.rdb'), os.path.join(out_dir, name))


expected_path = os.path.join(out_dir, 'redis-7.0.15.expected.tsv')
if mode == 'fill':
    r('FLUSHALL')
    assert r('CONFIG', 'GET', 'rdbchecksum')[1] == b'yes'
    r('CONFIG', 'SET', 'rdbcompression', 'yes')
    db0()
    db1()
    db7()
    lines = expected_lines()
    with open(expected_path, 'w') as f:
        f.write('# db\tkey-hex\tpexpiretime\tcanonical, as Redis 7.0.15 read them (rdb_fixtures.py)\n')
        f.write('\n'.join(lines) + '\n')
    save('redis-7.0.15.rdb')
    print('%d keys' % len(lines))
    for line in lines:
        print(line[:160])
else:
    assert r('CONFIG', 'GET', 'rdbchecksum')[1] == b'no'
    assert r('CONFIG', 'SET', 'rdbcompression', 'no') == 'OK'
    with open(expected_path) as f:
        assert f.read().split('\n')[1:-1] == expected_lines(), 'the reloaded keyspace differs'
    save('redis-7.0.15-nocompress-nochecksum.rdb')
