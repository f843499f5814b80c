#!/usr/bin/env bash
# Load benchmark: the same small web application (benchmarks/load/app) built three ways, without
# Sentry ("bare"), with Sentry's official io.sentry:sentry-spring-boot-4 ("official") and with
# sentry-boot ("ours"), driven by wrk on 127.0.0.1 against a local envelope sink (nginx).
#
#   benchmarks/run.sh              full run, at most 15 minutes on a 2-core machine
#   QUICK=1 benchmarks/run.sh      smoke run, 3 to 5 minutes (figures not worth quoting)
#
# Settings (environment variables, defaults in brackets):
#   ROUNDS [3]  DURATION [5] seconds per measured round
#   WARMUP [20] .. WARMUP_MAX [90] seconds of warm-up per application, in steps of WARMUP_STEP [5],
#     until the JIT compiler threads used under SETTLED_PCT [3] % of its CPU in a step
#   BUDGET [820] seconds for the whole run, packaging included: the warm-ups share what the starts
#     and the measured rounds leave (no limit when WARMUP_MAX fits anyway: QUICK=1, fewer scenarios)
#   JIT_NICE [-10] nice value of the JIT compiler threads during the warm-up (0: leave them alone)
#   CONNECTIONS [16]  SCENARIOS ["errors traces0 traces10 traces100"]  VARIANTS ["bare official ours"]
#   APP_CPU [0]  LOAD_CPU [1]  BASE_PORT [18480]  JAVA_OPTS [-Xmx256m]  REBUILD [0]  KEEP_TMP [0]
#
# For each scenario the three applications are started one after the other (startup time: from
# launching the JVM to the first successful response, and Spring Boot's "Started ... in X
# seconds"), each is warmed up until the JIT compilers have settled (see warm_up), then measured
# in alternating rounds (bare official ours bare official ours ...) so that drifting machine load
# spreads over all three. Medians of the rounds; each round also records how much of the
# application's CPU its JIT compiler threads used and how many methods they compiled, so the
# report shows whether the JIT had settled.
# The applications run on APP_CPU, wrk and the sink on LOAD_CPU (taskset).
#
# Writes benchmarks/results/load-<timestamp>.{json,md,svg} and prints the markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${QUICK:-0}" == 1 ]]; then
  : "${ROUNDS:=1}" "${DURATION:=4}" "${WARMUP:=4}" "${WARMUP_MAX:=8}" "${WARMUP_STEP:=4}"
fi
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-20}
WARMUP_MAX=${WARMUP_MAX:-90}
WARMUP_STEP=${WARMUP_STEP:-5}
SETTLED_PCT=${SETTLED_PCT:-3}
JIT_NICE=${JIT_NICE:--10}
CONNECTIONS=${CONNECTIONS:-16}
SCENARIOS=${SCENARIOS:-"errors traces0 traces10 traces100"}
VARIANTS=${VARIANTS:-"bare official ours"}
APP_CPU=${APP_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
BASE_PORT=${BASE_PORT:-18480}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-120}

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- tools ------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
command -v taskset >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
  log "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
fi
if [[ ! -x /usr/sbin/nginx ]] && ! command -v nginx >/dev/null; then
  echo "nginx is not available" >&2; exit 1
fi
cpus=$(nproc --all)
if ((APP_CPU >= cpus || LOAD_CPU >= cpus)); then
  echo "APP_CPU=$APP_CPU / LOAD_CPU=$LOAD_CPU: this machine has $cpus CPUs" >&2; exit 1
fi

# --- the three applications ---------------------------------------------------------------------
jar() { echo "benchmarks/load/$1/target/load-app-$1.jar"; }
stale=0
for v in $VARIANTS; do
  if [[ ! -f "$(jar "$v")" || -n "$(find pom.xml benchmarks/load/pom.xml "benchmarks/load/$v/pom.xml" \
        benchmarks/load/app autoconfigure/pom.xml autoconfigure/src/main starter/pom.xml \
        -newer "$(jar "$v")" -type f -print -quit 2>/dev/null)" ]]; then
    stale=1
  fi
done
if [[ $stale == 1 || "${REBUILD:-0}" == 1 ]]; then
  log "packaging the load applications"
  ./mvnw -B -q -pl "$(for v in $VARIANTS; do printf 'benchmarks/load/%s,' "$v"; done)" -am package -DskipTests
fi

# The commit the applications were built from: the tree may move on while the run goes.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git status --porcelain -- autoconfigure starter benchmarks/load pom.xml 2>/dev/null)" ]]; then
  commit="$commit+changes"
fi

# --- scratch space, cleanup ---------------------------------------------------------------------
tmp=$(mktemp -d /tmp/sentry-boot-load.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then log "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sink_port=$BASE_PORT
port_of() {
  local i=1 v
  for v in bare official ours; do
    [[ $v == "$1" ]] && { echo $((BASE_PORT + i)); return; }
    i=$((i + 1))
  done
}
for p in "$sink_port" $(for v in $VARIANTS; do port_of "$v"; done); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "port $p on 127.0.0.1 is in use: set BASE_PORT" >&2; exit 1
  fi
done

# --- the sink -----------------------------------------------------------------------------------
# One nginx process (no master, one worker, no access log) that answers 200 to every envelope and
# drops the body: as cheap as an envelope endpoint gets. /status (stub_status) counts requests, so
# each round knows how many envelopes each application delivered.
mkdir -p "$tmp/nginx"
cat > "$tmp/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  client_max_body_size 20m;
  client_body_buffer_size 1m;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$sink_port;
    location ~ ^/api/[0-9]+/envelope/\$ {
      default_type application/json;
      return 200 '{}';
    }
    location = /status { stub_status; }
    location / { return 404; }
  }
}
EOF
taskset -c "$LOAD_CPU" nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" > "$tmp/nginx/out.log" 2>&1 &
sink_pid=$!
pids+=("$sink_pid")
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$sink_port/status" && break
  sleep 0.05
done
curl -sf -o /dev/null "http://127.0.0.1:$sink_port/status" || { cat "$tmp/nginx/"*.log >&2; exit 1; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in clock ticks
compiler_tids() { # the JIT compiler threads ("C2 CompilerThre", "C1 CompilerThre") of a process
  local t c
  for t in /proc/"$1"/task/*; do
    read -r c < "$t/comm" 2> /dev/null || continue
    [[ $c == C[12]\ Compiler* ]] && echo "${t##*/}"
  done
  return 0
}
compiler_ticks() { # their utime + stime (threads the JVM stopped meanwhile are not counted)
  local t c st f sum=0
  for t in /proc/"$1"/task/*; do # bash only: no process per thread, this runs between rounds
    read -r c < "$t/comm" 2> /dev/null || continue
    [[ $c == C[12]\ Compiler* ]] || continue
    read -r st < "$t/stat" 2> /dev/null || continue
    # The name holds a space: count fields after its ")", from the state (field 3) on.
    read -r -a f <<< "${st##*) }"
    sum=$((sum + f[11] + f[12])) # fields 14 and 15, utime and stime
  done
  echo "$sum"
}
# The JVM's own JIT counters, from its perf-data file (what jstat -compiler reads, without
# starting a JVM): "<methods compiled> <seconds spent compiling>", "0 0" when unreadable.
jit_counters() {
  python3 - "/tmp/hsperfdata_$(id -un)/$1" <<'PY' 2>/dev/null || echo "0 0"
import struct, sys
data = open(sys.argv[1], "rb").read()
order = "<" if data[4] == 1 else ">"
entry, count = struct.unpack_from(order + "ii", data, 24)
values = {}
for _ in range(count):
    length, name_at, vector, kind, _f, _u, _v, data_at = struct.unpack_from(order + "iiibbbbi", data, entry)
    name = data[entry + name_at:data.index(b"\0", entry + name_at)].decode()
    if kind == ord("J") and vector == 0:
        values[name] = struct.unpack_from(order + "q", data, entry + data_at)[0]
    entry += length
print(values["sun.ci.totalCompiles"], values["java.ci.totalTime"] / values["sun.os.hrt.frequency"])
PY
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
sink_requests() { curl -sf "http://127.0.0.1:$sink_port/status" | awk 'NR == 3 {print $3}'; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# --- arguments per variant and scenario ---------------------------------------------------------
# The same DSN, environment, release and personal-data setting for both integrations; each keeps
# its other defaults, as a user adding it would get them.
sentry_common=(--sentry.dsn="http://public@127.0.0.1:$sink_port/1" --sentry.environment=benchmark
  --sentry.release=load-app@1 --sentry.send-default-pii=false)
app_args() { # variant scenario
  local v=$1 s=$2 rate=
  case $s in
    errors) ;;
    traces0) rate=0.0 ;;
    traces10) rate=0.1 ;;
    traces100) rate=1.0 ;;
    *) echo "unknown scenario $s" >&2; exit 1 ;;
  esac
  case $v in
    bare) ;;
    official)
      # Tracing is on when sentry.traces-sample-rate is set (there is no sentry.enable-tracing).
      printf '%s\n' "${sentry_common[@]}"
      [[ -n $rate ]] && echo "--sentry.traces-sample-rate=$rate"
      ;;
    ours)
      printf '%s\n' "${sentry_common[@]}"
      # Its disk cache is on by default: kept, inside this run's scratch directory.
      echo "--sentry.cache-dir-path=$tmp/cache-ours"
      if [[ -n $rate ]]; then echo "--sentry.traces-sample-rate=$rate"; else echo "--sentry.enable-tracing=false"; fi
      ;;
  esac
  return 0
}

raw="$tmp/raw.jsonl"
: > "$raw"
declare -A app_pid

start_app() { # variant scenario
  local v=$1 s=$2 port out args t0 t1 started
  port=$(port_of "$v")
  out="$tmp/$v-$s.log"
  mapfile -t args < <(app_args "$v" "$s")
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  taskset -c "$APP_CPU" java -XX:ActiveProcessorCount=1 $JAVA_OPTS -jar "$(jar "$v")" --server.port="$port" "${args[@]}" > "$out" 2>&1 &
  app_pid[$v]=$!
  pids+=("${app_pid[$v]}")
  while ! taskset -c "$LOAD_CPU" curl -sf -o /dev/null "http://127.0.0.1:$port/orders/1"; do
    if ! kill -0 "${app_pid[$v]}" 2>/dev/null || (( ($(date +%s%N) - t0) / 1000000000 > STARTUP_TIMEOUT )); then
      echo "$v did not start:" >&2; tail -40 "$out" >&2; exit 1
    fi
    sleep 0.05
  done
  t1=$(date +%s%N)
  started=
  for _ in $(seq 1 40); do
    started=$(sed -n 's/.*Started LoadApplication in \([0-9.]*\) seconds.*/\1/p' "$out")
    [[ -n $started ]] && break
    sleep 0.05
  done
  log "  $v: first response after $(( (t1 - t0) / 1000000 )) ms (Started in ${started:-?} s)"
  printf '{"type":"startup","scenario":"%s","variant":"%s","first_response_ms":%d,"started_s":%s}\n' \
    "$s" "$v" $(( (t1 - t0) / 1000000 )) "${started:-null}" >> "$raw"
}

stop_app() {
  local pid=${app_pid[$1]} kept=() p
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${pids[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  pids=("${kept[@]}")
}

drive() { # variant seconds -> wrk's JSON line
  taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${2}s" --timeout 10s -s benchmarks/load/wrk.lua \
    "http://127.0.0.1:$(port_of "$1")" | sed -n 's/^WRK_JSON //p'
}

# Warm-up. Under full load on its one CPU a JVM settles slowly: its two JIT compiler threads are
# two among ~20 busy threads of the same priority, get a few % of the CPU, and their queue drains
# for minutes (seen: the Sentry variants still compiled ~1,200 methods in the 20 s after 40 s of
# load), so a measurement after a fixed warm-up compares half-compiled applications. During the
# warm-up only, run.sh therefore
#  - lets the application use every CPU (taskset -a), so that the compilers can run beside the
#    request threads (the JVM was started with -XX:ActiveProcessorCount=1: it still sizes its
#    compiler, GC and other pools for the one CPU it is measured on, whatever its affinity);
#  - gives the compiler threads nice JIT_NICE, so that the scheduler serves them first while they
#    have work (an empty queue costs nothing).
# Neither changes what is compiled nor how (same thresholds, profiles and compilers, the same for
# every variant): the code is compiled sooner, not differently. Load in steps of WARMUP_STEP until
# the compiler threads used under SETTLED_PCT % of the application's CPU during a step (at least
# WARMUP, at most WARMUP_MAX seconds, and within the scenario's share of what is left of BUDGET);
# then the application goes back to APP_CPU and its compilers to nice 0, as measured. Each step is
# recorded (type "warmup_step"). The three applications of a scenario warm up at the same time
# (one wrk each): one alone leaves part of the two CPUs unused while its compilers are the
# bottleneck, and none has to wait for the others' warm-ups.
jit_nice() { # pid nice
  local t
  [[ $JIT_NICE == 0 ]] && return 0
  for t in $(compiler_tids "$1"); do renice -n "$2" -p "$t" > /dev/null 2>&1 || true; done
}
warm_up() { # variant scenario max-seconds (of wall time)
  local v=$1 s=$2 limit=$3 pid=${app_pid[$1]} elapsed=0 before compiled_before total share=100 jit jit_before n=0 w
  local deadline=$((SECONDS + limit))
  taskset -a -p -c "0-$((cpus - 1))" "$pid" > /dev/null
  read -r -a jit <<< "$(jit_counters "$pid")"
  while ((elapsed < WARMUP_MAX && SECONDS + WARMUP_STEP <= deadline)); do
    jit_nice "$pid" "$JIT_NICE"
    jit_before=("${jit[@]}")
    before=$(ticks "$pid")
    compiled_before=$(compiler_ticks "$pid")
    w=$(drive "$v" "$WARMUP_STEP")
    elapsed=$((elapsed + WARMUP_STEP))
    n=$((n + 1))
    total=$(( $(ticks "$pid") - before ))
    share=$(( total > 0 ? 100 * ($(compiler_ticks "$pid") - compiled_before) / total : 100 ))
    read -r -a jit <<< "$(jit_counters "$pid")"
    printf '{"type":"warmup_step","scenario":"%s","variant":"%s","step":%d,"seconds":%d,"compiler_pct":%d,"cpu_ticks":%d,"compiles":%d,"wrk":%s}\n' \
      "$s" "$v" "$n" "$elapsed" "$share" "$total" $((jit[0] - jit_before[0])) "${w:-null}" >> "$raw"
    ((elapsed >= WARMUP && share < SETTLED_PCT)) && break
  done
  jit_nice "$pid" 0
  taskset -a -p -c "$APP_CPU" "$pid" > /dev/null
  log "  $v: warmed up for ${elapsed} s (${limit} s at most; JIT compilers: ${share}% of its CPU in the last step," \
    "$((jit[0] - jit_before[0])) methods compiled; ${jit[0]} in all)"
  printf '{"type":"warmup","scenario":"%s","variant":"%s","seconds":%d,"limit_s":%d,"last_step_compiler_pct":%d,"compiles_total":%d}\n' \
    "$s" "$v" "$elapsed" "$limit" "$share" "${jit[0]}" >> "$raw"
}

# --- the run --------------------------------------------------------------------------------------
n_scen=$(wc -w <<< "$SCENARIOS")
n_var=$(wc -w <<< "$VARIANTS")
# Seconds a start (launch to first response, on a busy machine) and a measured round take.
START_S=10
ROUND_S=$((DURATION + 1))
# The whole run, packaging included (SECONDS counts from the script's start), stays within BUDGET:
# 820 s leaves the 15 minutes the full run may take room for starts slower than START_S. A run
# that fits anyway (QUICK=1, fewer scenarios or variants) is not cut.
worst=$(( SECONDS + n_scen * n_var * (START_S + WARMUP_MAX) + n_scen * ROUNDS * n_var * ROUND_S ))
BUDGET=${BUDGET:-$(( worst < 820 ? 2 * worst : 820 ))}
stamp=$(date -u +%Y%m%d-%H%M%S)
log "load benchmark $stamp: scenarios [$SCENARIOS], variants [$VARIANTS], $ROUNDS round(s) of ${DURATION}s," \
  "${WARMUP}-${WARMUP_MAX}s warm-up until the JIT uses < ${SETTLED_PCT}% of the CPU, $CONNECTIONS connections;" \
  "applications on CPU $APP_CPU, wrk and sink on CPU $LOAD_CPU; at most $((BUDGET / 60)) min $((BUDGET % 60)) s"
sink_start=$(ticks "$sink_pid")
scenarios_left=$n_scen
declare -A jit_last

# The longest (wall-clock) warm-up of the scenario about to be warmed: WARMUP_MAX, or its share of
# what is left of BUDGET once the remaining starts and measured rounds are set aside, so that the
# run ends in time even when nothing settles (time a quick warm-up leaves goes to later ones).
warmup_limit() {
  local reserve=$(( (scenarios_left - 1) * n_var * START_S + scenarios_left * ROUNDS * n_var * ROUND_S ))
  local share=$(( (BUDGET - SECONDS - reserve) / scenarios_left ))
  ((share < WARMUP)) && share=$WARMUP
  ((share > WARMUP_MAX + WARMUP_MAX / 5)) && share=$((WARMUP_MAX + WARMUP_MAX / 5)) # + the steps' overhead
  echo "$share"
}

for s in $SCENARIOS; do
  log "scenario $s: starting"
  for v in $VARIANTS; do start_app "$v" "$s"; done
  limit=$(warmup_limit)
  warmers=()
  for v in $VARIANTS; do
    warm_up "$v" "$s" "$limit" &
    warmers+=($!)
  done
  for p in "${warmers[@]}"; do wait "$p"; done
  for v in $VARIANTS; do jit_last[$v]=$(jit_counters "${app_pid[$v]}"); done
  for r in $(seq 1 "$ROUNDS"); do
    for v in $VARIANTS; do
      pid=${app_pid[$v]}
      load_before=$(loadavg)
      sink_before=$(sink_requests)
      sink_ticks_before=$(ticks "$sink_pid")
      read -r -a jit_before <<< "${jit_last[$v]}"
      compiler_before=$(compiler_ticks "$pid")
      before=$(ticks "$pid")
      wrk_json=$(drive "$v" "$DURATION")
      after=$(ticks "$pid")
      compiler_after=$(compiler_ticks "$pid")
      jit_last[$v]=$(jit_counters "$pid")
      read -r -a jit <<< "${jit_last[$v]}"
      rss=$(rss_kb "$pid")
      hwm=$(hwm_kb "$pid")
      sink_ticks_after=$(ticks "$sink_pid")
      sleep 0.2 # envelopes of the round's last requests still in the applications' queues
      sink_after=$(sink_requests)
      [[ -n $wrk_json ]] || { echo "wrk printed no result for $v" >&2; exit 1; }
      printf '{"type":"round","scenario":"%s","variant":"%s","round":%d,"wrk":%s,"cpu_ticks":%d,"compiler_ticks":%d,"compiles":%d,"compile_s":%s,"rss_kb":%d,"hwm_kb":%d,"sink_cpu_ticks":%d,"envelopes":%d,"loadavg_before":%s,"loadavg_after":%s}\n' \
        "$s" "$v" "$r" "$wrk_json" $((after - before)) $((compiler_after - compiler_before)) \
        $((jit[0] - jit_before[0])) "$(awk -v a="${jit_before[1]}" -v b="${jit[1]}" 'BEGIN {printf "%.3f", b - a}')" "$rss" "$hwm" $((sink_ticks_after - sink_ticks_before)) \
        $((sink_after - sink_before - 1)) "$load_before" "$(loadavg)" >> "$raw"
      log "  $s round $r $v: $(python3 -c 'import json,sys; w=json.loads(sys.argv[1]); print(round(w["requests"]/w["duration_us"]*1e6), "req/s")' "$wrk_json")," \
        "JIT $(( after > before ? 100 * (compiler_after - compiler_before) / (after - before) : 0 ))% of its CPU, $((jit[0] - jit_before[0])) methods compiled"
    done
  done
  for v in $VARIANTS; do stop_app "$v"; done
  scenarios_left=$((scenarios_left - 1))
done
log "run took $((SECONDS / 60)) min $((SECONDS % 60)) s (budget $BUDGET s)"
sink_total=$(( $(ticks "$sink_pid") - sink_start ))

mkdir -p benchmarks/results
out="benchmarks/results/load-$stamp"
python3 benchmarks/load/report.py "$raw" "$out" \
  --meta "stamp=$stamp" "quick=${QUICK:-0}" "rounds=$ROUNDS" "duration_s=$DURATION" "warmup_s=$WARMUP-$WARMUP_MAX" \
  "warmup_step_s=$WARMUP_STEP" "settled_pct=$SETTLED_PCT" "jit_nice=$JIT_NICE" "budget_s=$BUDGET" \
  "run_s=$SECONDS" \
  "connections=$CONNECTIONS" "app_cpu=$APP_CPU" "load_cpu=$LOAD_CPU" "java_opts=-XX:ActiveProcessorCount=1 $JAVA_OPTS" \
  "clk_tck=$(getconf CLK_TCK)" "sink_cpu_ticks_total=$sink_total" "cpus=$cpus" \
  "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
  "kernel=$(uname -r)" "java=$(java -version 2>&1 | head -1)" "wrk=$(wrk -v 2>&1 | head -1)" \
  "nginx=$(nginx -v 2>&1)" "commit=$commit"
log "wrote $out.json, $out.md, $out.svg"
cat "$out.md"
