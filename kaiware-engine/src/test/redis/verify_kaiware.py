"""Usage: verify_kaiware.py kaiware-command/target/kaiware-dumps.tsv (written by DumpCommandsTest).

RESTOREs Kaiware's DUMP payloads (DumpCommandsTest's target/kaiware-dumps.tsv) into a real Redis and
compares each with the same value built in Redis by the same commands."""
import sys
from kw import Redis, Err, canonical
r = Redis()
r('FLUSHALL')
bad = 0
for line in open(sys.argv[1]):
    name, hexp, cmds = line.rstrip('\n').split('\t')
    for c in cmds.split(';'):
        args = [bytes.fromhex(a) for a in c.split(',')]
        args = [b'expect:' + name.encode() if a == b'K' else a for a in args]
        res = r(*args)
        assert not isinstance(res, Err), (name, res)
    p = bytes.fromhex(hexp)
    res = r('RESTORE', 'got:' + name, 0, p)
    got = canonical(r, 'got:' + name) if res == 'OK' else None
    want = canonical(r, 'expect:' + name)
    ok = res == 'OK' and got == want
    bad += not ok
    print('%-14s type=%2d bytes=%6d RESTORE=%s same=%s enc=%s/%s' % (name, p[0], len(p), res, ok,
          r('OBJECT', 'ENCODING', 'got:' + name), r('OBJECT', 'ENCODING', 'expect:' + name)))
    if not ok:
        print('  got ', (got or '')[:300]); print('  want', want[:300])
print('mismatches:', bad)
