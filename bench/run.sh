#!/usr/bin/env bash
# ctrnet's benchmarks, each inside a throwaway sandbox of its own: new network, mount and PID
# namespaces with a tmpfs over /run that holds every file they write. The machine's own network
# namespace, its firewall and its /var/lib are never touched, and every process started inside dies
# with the sandbox.
#   startup   median wall time of `ctrnet run --rm --network none -- true` and `ctrnet run --rm -- true`
#   attach    per-container attach/detach cost with 1, 100 and 1,000 containers on one bridge, one
#             published port each, per NAT backend, with the ratio of the last containers' cost to the first's;
#             and a 10,000-port range against one port (time, bytes allocated, bytes recorded)
#   crowded   attach/detach with 1 and 1,000 containers on one bridge (nftables), on the bench's plain host and
#             again with 10,000 unrelated routes and 1,000 unrelated links added to its namespace, with the
#             ratios: an attach that looks up what it needs costs the same on both
#   compare   the same measurement for the CNI reference plugins (bridge + host-local + portmap) and for
#             netavark, with 1, 100 and 300 containers (apt-get install containernetworking-plugins netavark)
#   cli       issue 9's table: ctrnet's CLI (nftables and iptables) beside Docker's and Podman's (Debian's packages, installed on
#             demand), round robin in one run, median and p95 per command and ctrnet/peer ratios; and in-process
#             attach (AttachBench at 100 containers) in a JVM with the service's options and with the JVM's defaults
#   processes the programs `ctrnet run -d -p 8080:80 -- sleep 100` and `ctrnet rm -f` execute (strace)
#   all       startup, attach and compare
# Usage: bench/run.sh [startup|attach|crowded|compare|cli|processes|all] [RUNS]    (as root)
set -euo pipefail
export LC_ALL=C   # EPOCHREALTIME and printf must use a decimal point
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."

# The peers' daemons put their containers' cgroups under this parent (cgroups are not confined by
# namespaces), so that the parent can be removed once the sandbox is gone.
export bench_cgroup=${bench_cgroup:-ctrnet-bench-$$}

# --- outside the sandbox -----------------------------------------------------------------------------

# Debian packages the cli and processes modes need; nothing else (and no test) depends on them.
packages_for() {
  case $1 in
    cli) echo docker.io podman netavark busybox-static ;;  # netavark, or podman's Debian package brings the CNI plugins instead
    processes) echo strace ;;
  esac
}

install_missing_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "bench: installing ${missing[*]} (apt-get install --no-install-recommends)"
  # docker.io's and podman's maintainer scripts would start their services in the machine's own
  # namespaces: a policy-rc.d that denies every start keeps them down (kept if one is already there)
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { [ -z "$made_policy" ] || rm -f "$policy"; echo "ctrnet: apt-get install ${missing[*]} failed" >&2; exit 1; }
  [ -z "$made_policy" ] || rm -f "$policy"
}

# rmdir, never rm -r: a cgroup that still holds a process refuses, and is reported
remove_bench_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/*/"$bench_cgroup" /sys/fs/cgroup/"$bench_cgroup"; do
    [ -d "$dir" ] || continue
    for _ in $(seq 50); do
      find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [ -d "$dir" ] || break
      sleep 0.1
    done
    [ ! -d "$dir" ] || echo "bench: could not remove the cgroup $dir" >&2
  done
}

if [ "${1:-}" != --in-sandbox ]; then
  what=${1:-all}
  runs=${2:-20}
  [ "$(id -u)" = 0 ] || { echo "ctrnet: the benchmarks create namespaces and links: run them as root" >&2; exit 1; }
  case $what in startup|attach|crowded|compare|cli|processes|all) ;; *) echo "ctrnet: unknown benchmark '$what'" >&2; exit 2 ;; esac
  CTRNET_NO_DAEMON=1 bin/ctrnet --version >/dev/null   # build first, outside the sandbox (in-process: no service there)
  # shellcheck disable=SC2046  # one word per package
  install_missing_packages $(packages_for "$what")
  trap remove_bench_cgroups EXIT
  # on Ctrl-C or SIGTERM bash runs these once the sandbox has ended, so the cleanup still happens
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # --pid --fork: the script is PID 1 of the sandbox, so the kernel kills whatever is left when it
  # exits; --kill-child: and it is told to end if unshare itself is killed
  unshare --net --mount --propagation private --pid --fork --mount-proc --kill-child=SIGTERM -- \
    "$self" --in-sandbox "$what" "$runs"
  exit
fi

# --- inside the sandbox --------------------------------------------------------------------------------
what=$2 runs=$3
mount -t tmpfs -o mode=755 bench-run /run
# temporary files too (not a tmpfs over /tmp, which would hide a checkout that lives there)
work=/run/bench && mkdir -p "$work/tmp"
export TMPDIR=$work/tmp
ip link set lo up
# a host with an uplink and a default route, as on a real machine
ip link add uplink0 type veth peer name uplink1 && ip addr add 198.51.100.1/24 dev uplink0
ip link set uplink0 up && ip link set uplink1 up && ip route add default via 198.51.100.2

median_ms() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1e6}'; }
time_runs() {
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $((t1 - t0))
  done | median_ms
}

# Polls CHECK... every 0.1 s for at most SECONDS (the machine may be busy, so be generous).
wait_until() {
  local seconds=$1 description=$2 i
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  echo "ctrnet: bench: gave up after ${seconds} s waiting for $description" >&2
  return 1
}

# The compiler options the ctrnet service runs with (cli's Client.SERVICE_COMPILER; BenchScriptTest checks they agree):
# C1 alone, early. The warm attach a CLI user waits for is the service's.
service_compiler=(-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.01)

# A state root the bench made, with the mount points its runtime folder keeps (netns/ and uts/ are mounted on
# themselves, as ip netns does with /run/netns): unmounted first, the deepest first, or rm cannot remove them.
remove_state_root() {
  local mounts
  mounts=$(awk -v dir="$1/" 'index($5, dir) == 1 {print $5}' /proc/self/mountinfo | sort -r)
  [ -z "$mounts" ] || umount $mounts
  rm -rf "$1"
}

# The in-process figure: AttachBench's median attach with 100 containers on one bridge (nftables), in a JVM
# with the options given (none: the JVM's defaults, as a program on the Java API may run).
attach_median_ms() {
  java -XX:+UseSerialGC "$@" -cp "cli/target/lib/*" bench/AttachBench.java nftables "$work/attach" 125 >"$work/attach.out" 2>&1 \
    || { echo "ctrnet: bench: AttachBench failed:" >&2; cat "$work/attach.out" >&2; return 1; }
  remove_state_root "$work/attach"
  awk '$2 == "attach" {for (i = 3; i < NF; i++) if ($i == "at" && $(i + 1) == "100:") print $(i + 2)}' "$work/attach.out"
}

if [ "$what" = startup ] || [ "$what" = all ]; then
  export CTRNET_ROOT=/run/bench-startup
  bin/ctrnet run --rm -- true >/dev/null   # creates the default network and warms the class-data archive
  none=$(time_runs bin/ctrnet run --rm --network none -- true)
  bridge=$(time_runs bin/ctrnet run --rm -- true)
  version=$(time_runs bin/ctrnet --version)
  echo "startup ($runs runs, median wall time)"
  echo "  ctrnet --version                          ${version} ms"
  echo "  ctrnet run --rm --network none -- true    ${none} ms"
  echo "  ctrnet run --rm -- true                   ${bridge} ms   (bench/run.sh cli measures docker and podman beside it)"
fi
if [ "$what" = attach ] || [ "$what" = all ]; then
  echo "attach/detach per container, one bridge, one published port each (Java API, one warm JVM per backend):"
  echo "median of the 25 containers up to 1, 100 and 1,000 on the bridge"
  for nat in nftables iptables; do
    java -XX:+UseSerialGC -cp "cli/target/lib/*" bench/AttachBench.java "$nat" "/run/bench-$nat" 1000 2>&1 \
      | grep -v '^WARNING'
  done
fi
if [ "$what" = crowded ]; then
  echo "attach/detach per container on a plain and on a crowded host (Java API, one warm JVM, nftables):"
  echo "median of the 25 containers up to 1 and 1,000 on the bridge, ratios of the crowded host's to the plain one's"
  java -XX:+UseSerialGC -cp "cli/target/lib/*" bench/AttachBench.java nftables /run/bench-crowded 1000 crowded 2>&1 \
    | grep -v '^WARNING'
fi
if [ "$what" = compare ] || [ "$what" = all ]; then
  echo "the peers, same measurement (one bridge, one published port each; their netns made beforehand)"
  for peer in cni netavark; do
    tool=/usr/lib/cni/bridge; [ "$peer" = cni ] || tool=/usr/lib/podman/netavark
    if [ ! -x "$tool" ]; then
      echo "compare: $peer is not installed (apt-get install containernetworking-plugins netavark)"
      continue
    fi
    for n in 1 100 300; do
      java -XX:+UseSerialGC -cp "cli/target/lib/*" bench/PeersBench.java "$peer" "$n" 2>&1 | grep -v '^WARNING'
    done
  done
fi

# --- processes: what one command executes -------------------------------------------------------------

# Runs CMD... under `strace -ff -e trace=execve` until CMD itself exits, then detaches: a detached
# container keeps running, and what it does after the command returned is not the command's cost.
# With a ctrnet service running, the service is traced as well (strace -f -p), from before CMD starts
# until it returns: the programs the service runs for CMD are CMD's cost too.
# Prints the count of successful execve calls and the programs, most frequent first.
count_execs() {
  local label=$1 trace service_pid service_strace=
  shift
  trace=$(mktemp -d "$work/trace.XXXXXX")
  service_pid=$(service_pid)
  if [ -n "$service_pid" ]; then
    strace -f -e trace=execve -o "$trace/service" -p "$service_pid" 2>"$trace/service.stderr" &
    service_strace=$!
    wait_until 30 "strace to attach to the service" grep -qs attached "$trace/service.stderr"
  fi
  strace -ff -e trace=execve -o "$trace/pid" -- "$@" >/dev/null 2>"$trace/stderr" &
  local strace_pid=$!
  # the command's own process is the one whose file starts with the execve of CMD
  command_exited() {
    local file
    file=$(grep -l "^execve(\"$1\"" "$trace"/pid.* 2>/dev/null | head -1) && [ -n "$file" ] && grep -q '^+++ exited' "$file"
  }
  wait_until 120 "$label to return" command_exited "$1"
  # SIGKILL: on SIGTERM strace detaches politely, which waits for the sleeping container; when the
  # tracer dies, the kernel detaches its tracees at once and they go on running
  kill -KILL "$strace_pid" $service_strace 2>/dev/null || true
  { wait "$strace_pid" $service_strace; } 2>/dev/null || true   # without the shell's notice that it was killed
  local client service=
  client=$(cat "$trace"/pid.* | sed -n 's/^execve("\([^"]*\)".* = 0$/\1/p')
  [ -z "$service_strace" ] || service=$(sed -n 's/^[0-9]* *execve("\([^"]*\)".* = 0$/\1/p' "$trace/service")
  echo "  $label: $(grep -c . <<<"$client") execve calls by the command$([ -z "$service_strace" ] \
    || echo ", $(grep -c . <<<"$service") by the ctrnet service for it")"
  printf '%s\n%s\n' "$client" "$service" | grep . | sort | uniq -c | sort -rn | sed 's/^ */      /'
}

# The PID of the ctrnet service of CTRNET_ROOT, if one runs ("running: pid N, ...").
service_pid() {
  bin/ctrnet service status 2>/dev/null | sed -n 's/^running: pid \([0-9]*\),.*/\1/p'
}

if [ "$what" = processes ]; then
  export CTRNET_ROOT=$work/ctrnet
  bin/ctrnet run --rm -- true >/dev/null   # the default network and the class-data archive, not counted
  echo "processes: strace -ff -e trace=execve, successful calls only, until the command returns"
  count_execs "ctrnet run -d -p 8080:80 -- sleep 100" bin/ctrnet run -d --name traced -p 8080:80 -- sleep 100
  count_execs "ctrnet rm -f" bin/ctrnet rm -f traced
fi

# --- cli: ctrnet, Docker and Podman, command by command -------------------------------------------------

# A root file system with nothing but a static busybox, for all three tools: no registry is needed.
make_busybox_tree() {
  local tree=$1 applet
  mkdir -p "$tree"/{bin,dev,etc,proc,sys,tmp,root}
  cp /bin/busybox "$tree/bin/busybox"
  for applet in $("$tree/bin/busybox" --list); do
    [ -e "$tree/bin/$applet" ] || ln -s busybox "$tree/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$tree/etc/passwd"
  echo 'root:x:0:' >"$tree/etc/group"
}

daemon_pids=()

# containerd and dockerd as Debian runs them (two services), but every path in the sandbox's tmpfs.
start_docker() {
  local dir=$work/docker
  mkdir -p "$dir"/{containerd,data,exec}
  cat >"$dir/containerd.toml" <<EOF
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd/opt"
EOF
  containerd --config "$dir/containerd.toml" >"$dir/containerd.log" 2>&1 &
  daemon_pids+=($!)
  wait_until 60 "containerd to listen" test -S "$dir/containerd/containerd.sock" || { tail "$dir/containerd.log" >&2; return 1; }
  echo '{}' >"$dir/daemon.json"
  # /etc/docker is a tmpfs of the sandbox: dockerd 20.10 writes its key.json there whatever --data-root says
  mount -t tmpfs bench-etc-docker /etc/docker
  dockerd --containerd "$dir/containerd/containerd.sock" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" -H "unix://$dir/docker.sock" --config-file "$dir/daemon.json" \
    --cgroup-parent "/$bench_cgroup/docker" --shutdown-timeout 2 >"$dir/dockerd.log" 2>&1 &
  daemon_pids+=($!)
  # the client's own configuration too (Podman reads DOCKER_CONFIG as well, for registry logins)
  mkdir -p "$dir/client" && echo '{}' >"$dir/client/config.json"
  export DOCKER_HOST=unix://$dir/docker.sock DOCKER_CONFIG=$dir/client
  wait_until 60 "dockerd to answer" docker_cli_quiet version || { tail "$dir/dockerd.log" >&2; return 1; }
  tar -C "$tree" -c . | /usr/bin/docker import - bench-busybox >/dev/null
}

# Debian's docker client by its full path: another `docker` may come first on PATH.
docker_cli_quiet() { /usr/bin/docker "$@" >/dev/null 2>&1; }

# Podman has no daemon; its global options keep all of its state in the sandbox.
podman_global=()
setup_podman() {
  local dir=$work/podman
  mkdir -p "$dir"/{root,runroot,tmp,networks}
  podman_global=(--root "$dir/root" --runroot "$dir/runroot" --tmpdir "$dir/tmp" --network-backend netavark
    --network-config-dir "$dir/networks" --cgroup-manager cgroupfs --events-backend file)
}

# Ends the daemons this script started, by their process ids; the PID namespace ends anything else.
stop_daemons() {
  if [ -n "${DOCKER_HOST:-}" ]; then
    # shellcheck disable=SC2046
    docker_cli_quiet rm -f $(/usr/bin/docker ps -aq 2>/dev/null) || true
  fi
  [ ${#podman_global[@]} -eq 0 ] || podman "${podman_global[@]}" rm -fa -t 0 >/dev/null 2>&1 || true
  [ -z "$ctrnet_service" ] || bin/ctrnet service stop >/dev/null 2>&1 || true
  [ -z "$ctrnet_service" ] || ctrnet_iptables bin/ctrnet service stop >/dev/null 2>&1 || true
  local i pid
  for ((i = ${#daemon_pids[@]} - 1; i >= 0; i--)); do   # dockerd before its containerd
    pid=${daemon_pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    wait_until 20 "process $pid to stop" eval "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# The commands measured; the peers' spelling of each is in their functions below.
actions=(run_port rm run_bridge run_none version ps)
declare -A action_label=(
  [run_port]='`run -d -p 8080:80 -- CMD`'
  [rm]='`rm -f NAME` (running, 1 port)'
  [run_bridge]='`run --rm -- true` (bridge)'
  [run_none]='`run --rm --network none -- true`'
  [version]='`--version`'
  [ps]='`ps`'
)

# ACTION [NAME PORT] in each tool's syntax. Every container runs the same busybox tree.
ctrnet_cli() {
  case $1 in
    run_port) bin/ctrnet run -d --name "$2" -p "$3:80" --rootfs "$tree" -- sleep 100000 ;;
    rm) bin/ctrnet rm -f "$2" ;;
    run_bridge) bin/ctrnet run --rm --rootfs "$tree" -- true ;;
    run_none) bin/ctrnet run --rm --network none --rootfs "$tree" -- true ;;
    version) bin/ctrnet --version ;;
    ps | cold) bin/ctrnet ps ;;
    keeper) bin/ctrnet run -d --name keeper --rootfs "$tree" -- sleep 100000 ;;
  esac
}
docker_cli() {
  case $1 in
    run_port) /usr/bin/docker run -d --name "$2" -p "$3:80" bench-busybox sleep 100000 ;;
    rm) /usr/bin/docker rm -f "$2" ;;
    run_bridge) /usr/bin/docker run --rm bench-busybox true ;;
    run_none) /usr/bin/docker run --rm --network none bench-busybox true ;;
    version) /usr/bin/docker --version ;;
    ps) /usr/bin/docker ps ;;
    keeper) /usr/bin/docker run -d --name keeper bench-busybox sleep 100000 ;;
  esac
}
podman_cli() {
  local run=(podman "${podman_global[@]}" run --cgroup-parent "/$bench_cgroup/podman")
  case $1 in
    run_port) "${run[@]}" -d --name "$2" -p "$3:80" --rootfs "$tree" sleep 100000 ;;
    rm) podman "${podman_global[@]}" rm -f -t 0 "$2" ;;   # -t 0: its default waits 10 s for SIGTERM
    run_bridge) "${run[@]}" --rm --rootfs "$tree" true ;;
    run_none) "${run[@]}" --rm --network none --rootfs "$tree" true ;;
    version) podman --version ;;
    ps) podman "${podman_global[@]}" ps ;;
    keeper) "${run[@]}" -d --name keeper --rootfs "$tree" sleep 100000 ;;
  esac
}

# The columns: ctrnet as a user calls it (the service, when there is one), the same with the iptables
# backend (a state root of its own, so a service of its own), then --no-daemon, then the peers.
tools=()
declare -A tool_label=([docker]=Docker [podman]=Podman)
ctrnet_iptables() { CTRNET_ROOT=$work/ctrnet-iptables CTRNET_NAT=iptables "$@"; }
invoke() {
  local tool=$1
  shift
  case $tool in
    ctrnet) ctrnet_cli "$@" ;;
    ctrnet-iptables) ctrnet_iptables ctrnet_cli "$@" ;;
    ctrnet-no-daemon) CTRNET_NO_DAEMON=1 ctrnet_cli "$@" ;;
    docker) docker_cli "$@" ;;
    podman) podman_cli "$@" ;;
  esac
}

declare -A samples   # "tool|action" -> wall times in microseconds
time_invocation() {
  local tool=$1 action=$2 t0 t1
  t0=${EPOCHREALTIME/./}
  invoke "$@" >/dev/null 2>"$work/last.err" || {
    echo "ctrnet: bench: '$action' failed for $tool:" >&2
    cat "$work/last.err" >&2
    exit 1
  }
  t1=${EPOCHREALTIME/./}
  samples[$tool|$action]+=" $((t1 - t0))"
}

# Round robin: in every round each tool runs each command once, the tools in a rotating order, so
# that a burst of load elsewhere on the machine falls on all of them alike. A round's `run -d`
# containers (a fresh port each) are the ones its `rm -f` removes.
run_rounds() {
  local round tool action order
  for ((round = 1; round <= runs; round++)); do
    order=("${tools[@]:round % ${#tools[@]}}" "${tools[@]:0:round % ${#tools[@]}}")
    for action in "${actions[@]}"; do
      for tool in "${order[@]}"; do
        case $action in
          run_port) time_invocation "$tool" run_port "$tool-$round" "$(host_port "$tool" "$round")" ;;
          rm) time_invocation "$tool" rm "$tool-$round" ;;
          *) time_invocation "$tool" "$action" ;;
        esac
      done
    done
  done
}
# TOOL ROUND: a host port no other container of the run holds (a thousand per tool, one per round)
host_port() {
  local i
  for i in "${!tools[@]}"; do [ "${tools[i]}" != "$1" ] || { echo $((20000 + 1000 * i + $2)); return; }; done
}

# The first command after the service has stopped: the client starts a new one. Measured after the
# rounds, never within them: a service stopped in every round would leave the next round's commands a
# service that has not warmed up.
time_cold_starts() {
  local round
  for ((round = 1; round <= runs; round++)); do time_cold_start; done
}
time_cold_start() {
  bin/ctrnet service stop >/dev/null 2>&1 || { echo "ctrnet: bench: ctrnet service stop failed" >&2; exit 1; }
  time_invocation ctrnet cold
}

# "median p95" in ms of a list of microseconds (p95 by nearest rank)
median_p95() {
  tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR] = $1}
    END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; r = int(0.95 * NR); if (r < 0.95 * NR) r++
         printf "%.0f %.0f", m / 1000, a[r] / 1000}'
}

print_table() {
  local attach_ms=$1 tool peer action header="| command |" rule="|---|" row cells median p95
  local ctrnets=() peers=(docker podman)
  for tool in "${tools[@]}"; do [[ $tool != ctrnet* ]] || ctrnets+=("$tool"); done
  for tool in "${tools[@]}"; do header+=" ${tool_label[$tool]} |"; rule+="---|"; done
  for tool in "${ctrnets[@]}"; do
    for peer in "${peers[@]}"; do header+=" ${tool_label[$tool]%% (*}/${tool_label[$peer]} |"; rule+="---|"; done
  done
  echo "$header"
  echo "$rule"
  declare -A med
  for action in "${actions[@]}" cold; do
    [ -n "${samples[ctrnet|$action]:-}" ] || continue
    row="| ${action_label[$action]} |"
    for tool in "${tools[@]}"; do
      cells=${samples[$tool|$action]:-}
      if [ -z "$cells" ]; then row+=" — |"; med[$tool]=; continue; fi
      read -r median p95 <<<"$(median_p95 "$cells")"
      row+=" $median / $p95 ms |"
      med[$tool]=$median
    done
    for tool in "${ctrnets[@]}"; do
      for peer in "${peers[@]}"; do
        if [ -n "${med[$tool]}" ] && [ -n "${med[$peer]}" ]; then
          row+=" $(awk -v a="${med[$tool]}" -v b="${med[$peer]}" 'BEGIN {printf "%.2f", a / b}') |"
        else
          row+=" — |"
        fi
      done
    done
    echo "$row"
  done
  row="| in-process attach (API, nftables, median of 100) | $attach_ms |"
  for ((i = 1; i < ${#tools[@]} + 2 * ${#ctrnets[@]}; i++)); do row+=" — |"; done
  echo "$row"
}

ctrnet_service=
if [ "$what" = cli ]; then
  tree=$work/rootfs
  make_busybox_tree "$tree"
  trap stop_daemons EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  export CTRNET_ROOT=$work/ctrnet
  # the in-process figure first, before the peers' daemons start: dockerd and containerd react to every link
  # made in the sandbox, which on 2 cores took up to 2.5 ms from each attach measured beside them
  attach="$(attach_median_ms "${service_compiler[@]}") ms with the service's JVM options, $(attach_median_ms) ms with the JVM's defaults"
  start_docker
  setup_podman
  action_label[cold]='first `ps` after `service stop` (cold start)'
  # One long-running container per tool, made before any timing: `ps` then lists one, and a bridge
  # that its tool would make or delete with its first or last container stays up.
  ctrnet_cli keeper >/dev/null   # also starts the service, where there is one
  if bin/ctrnet service status >/dev/null 2>&1; then
    ctrnet_service=1
    ctrnet_iptables ctrnet_cli keeper >/dev/null
    tools=(ctrnet ctrnet-iptables ctrnet-no-daemon)
    tool_label+=([ctrnet]='ctrnet (service)' [ctrnet-iptables]='ctrnet iptables (service)'
      [ctrnet-no-daemon]='ctrnet --no-daemon')
  else
    tools=(ctrnet)
    tool_label+=([ctrnet]='ctrnet (JVM per command)')
  fi
  tools+=(docker podman)
  docker_cli keeper >/dev/null
  podman_cli keeper >/dev/null
  echo "cli: $runs rounds, round robin, wall time from outside; $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "  $(bin/ctrnet --version); Docker $(/usr/bin/docker version --format '{{.Server.Version}}') (containerd $(containerd --version | awk '{print $3}'), runc); $(podman --version); netavark $(/usr/lib/podman/netavark --version | awk '{print $2}')"
  echo "  $(nproc) cores, Linux $(uname -r), $(java -version 2>&1 | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  # one untimed round: class-data archive, page cache, each tool's first-use work
  saved_runs=$runs runs=1
  run_rounds
  samples=()
  runs=$saved_runs
  run_rounds
  [ -z "$ctrnet_service" ] || time_cold_starts
  echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  print_table "$attach"
fi
