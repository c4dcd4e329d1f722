#!/usr/bin/env bash
# One run of a fingerprint-lab workload (scripts/record-fingerprint-datasets.sh records each under tlab record).
# Usage: workload.sh NAME, with W a scratch directory. Each run takes about 2-5 s on the 2-core VM.
set -eu
W=${W:-/tmp/tlab-fingerprint-work}
mkdir -p "$W"
case "$1" in
  compress) seq 1 2500000 > "$W/c.txt"; gzip -6 -c "$W/c.txt" > "$W/c.gz"; xz -1 -T1 -c "$W/c.txt" > "$W/c.xz"; zstd -q -3 -f "$W/c.txt" -o "$W/c.zst"; rm -f "$W"/c.*;;
  compile) python3 - "$W/p.c" <<'PY'
import sys
with open(sys.argv[1],'w') as f:
    for i in range(90):
        f.write(f"int f{i}(int x){{int s=0;for(int j=0;j<x;j++){{s+=j*{i}%7;if(s>{i*13})s-=x;}}return s;}}\n")
    f.write("int main(void){int s=0;\n"+"".join(f"s+=f{i}(s&255);\n" for i in range(90))+"return s&1;}\n")
PY
     gcc -O2 -c "$W/p.c" -o "$W/p.o"; gcc -O0 -c "$W/p.c" -o "$W/p0.o"; rm -f "$W"/p.c "$W"/p*.o;;
  python) python3 -c "
s=0
for i in range(1_500_000): s+=i*i%7
l=[(i*7919)%100003 for i in range(600_000)]; l.sort()
d={i:str(i) for i in range(500_000)}
";;
  sqlite) rm -f "$W/t.db"; sqlite3 "$W/t.db" "create table t(a integer primary key, b text, c real); with recursive r(i) as (select 1 union all select i+1 from r where i<400000) insert into t(b,c) select hex(randomblob(16)), random()%1000 from r; create index tb on t(b); select count(*), avg(c) from t where b like 'A%';" > /dev/null; rm -f "$W/t.db";;
  redis) P=$((20000 + RANDOM % 20000)); redis-server --port $P --save '' --appendonly no --daemonize no > /dev/null & RP=$!; for i in $(seq 50); do redis-cli -p $P ping > /dev/null 2>&1 && break; sleep 0.05; done; redis-benchmark -p $P -q -n 8000 -c 8 -t set,get,lpush,lpop > /dev/null; redis-cli -p $P shutdown nosave > /dev/null 2>&1 || kill $RP; wait $RP || true;;
  nginx) P=$((40000 + RANDOM % 20000)); D="$W/ngx$$"; mkdir -p "$D/html"; head -c 65536 /dev/zero > "$D/html/a.bin"; echo hello > "$D/html/index.html"
     printf 'daemon off; worker_processes 1; pid %s/n.pid; error_log %s/e.log; events { worker_connections 256; } http { access_log off; server { listen 127.0.0.1:%s; root %s/html; } }\n' "$D" "$D" "$P" "$D" > "$D/n.conf"
     nginx -c "$D/n.conf" -p "$D" & NP=$!; for i in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$P/" && break; sleep 0.05; done
     for i in $(seq 1200); do echo "url = \"http://127.0.0.1:$P/index.html\""; echo "url = \"http://127.0.0.1:$P/a.bin\""; done > "$D/urls"
     curl -s -K "$D/urls" -o /dev/null -o /dev/null > /dev/null 2>&1 || true; curl -s --parallel -K "$D/urls" > /dev/null 2>&1 || true
     kill $NP; wait $NP || true; rm -rf "$D";;
  sort) seq 1 800000 | awk '{print ($1*7919)%1000003, $1}' > "$W/s.txt"; sort -n "$W/s.txt" > /dev/null; sort -k2,2 "$W/s.txt" > /dev/null; rm -f "$W/s.txt";;
  stress) stress-ng --cpu 1 --cpu-method matrixprod -t 1.5 -q; stress-ng --vm 1 --vm-bytes 128M -t 1.5 -q; stress-ng --hdd 1 --hdd-bytes 32M -t 1 -q --temp-path "$W";;
  *) echo "unknown workload $1" >&2; exit 2;;
esac
