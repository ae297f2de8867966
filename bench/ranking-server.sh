#!/usr/bin/env bash
# RANKING.INCRBY and RANKING.TOP through a real server and kaiware bench (closed loop), 100k members.
# Figures: docs/benchmarks.md ("Rankings over time windows"). Usage: bench/ranking-server.sh [seconds]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-16481}"
DURATION="${1:-10}s"
"$ROOT/bin/kaiware" build --if-needed >/dev/null
"$ROOT/bin/kaiware" server --port "$PORT" --save '' >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$PORT" RANKING.CREATE board BUCKET 1000 WINDOW 1m 60000 WINDOW 10m 600000 >/dev/null
# Every member once, then the measured load (zipf over 100k members).
"$ROOT/bin/kaiware" bench --port "$PORT" --connections 50 --pipeline 16 --duration 5s \
  --template "RANKING.INCRBY board 1 member:__key__" --keys 100000 --key-distribution sequential >/dev/null
echo "== RANKING.INCRBY, zipf over 100k members, 50 connections, pipeline 16 =="
"$ROOT/bin/kaiware" bench --port "$PORT" --connections 50 --pipeline 16 --duration "$DURATION" --warmup 3s \
  --template "RANKING.INCRBY board 7 member:__key__" --keys 100000 --key-distribution zipf
echo "== for comparison: ZINCRBY zboard 7 member:__key__ on a plain sorted set, same load =="
"$ROOT/bin/kaiware" bench --port "$PORT" --connections 50 --pipeline 16 --duration 5s \
  --template "ZINCRBY zboard 1 member:__key__" --keys 100000 --key-distribution sequential >/dev/null
"$ROOT/bin/kaiware" bench --port "$PORT" --connections 50 --pipeline 16 --duration "$DURATION" --warmup 3s \
  --template "ZINCRBY zboard 7 member:__key__" --keys 100000 --key-distribution zipf
redis-cli -p "$PORT" RANKING.INFO board | tr '\n' ' '; echo
echo "== RANKING.TOP board 10 WINDOW 10m, 50 connections, pipeline 16 =="
"$ROOT/bin/kaiware" bench --port "$PORT" --connections 50 --pipeline 16 --duration "$DURATION" --warmup 3s \
  --template "RANKING.TOP board 10 WINDOW 10m"
echo "== WINDOW.ALLOW rl:__key__ 100 WINDOW 60000, zipf over 100k keys, 50 connections, pipeline 16 =="
"$ROOT/bin/kaiware" bench --port "$PORT" --connections 50 --pipeline 16 --duration "$DURATION" --warmup 3s \
  --template "WINDOW.ALLOW rl:__key__ 100 WINDOW 60000" --keys 100000 --key-distribution zipf
redis-cli -p "$PORT" MEMORY USAGE board
