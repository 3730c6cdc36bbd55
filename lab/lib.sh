# Shared code for the tsync lab scripts (sourced, not run).
# shellcheck shell=bash

LAB_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
CACHE=/var/cache/tsync-lab

# Lab instance: TSYNC_LAB selects an independent lab (own namespaces, hosts, upstreams, state).
# The default instance "lab" keeps the original names and paths.
LAB_NAME=${TSYNC_LAB:-lab}
if [ "$LAB_NAME" = lab ]; then
  STATE=$LAB_DIR/.state
  KNOWN_HOSTS=$LAB_DIR/known_hosts
  INVENTORY=$LAB_DIR/inventory.yaml
  LAB_NS=tsync-lab
  HOST_NS_PREFIX=tsync-      # host hK: namespace and nspawn machine name tsync-hK
  VETH_PREFIX=tsv-           # veth tsv-hK (in the lab namespace)
else
  # Short names without '-' keep every derived name unique and the veth names <= 15 chars
  # ("ts-NAME-h240"); "hK" would collide with the default lab's host namespaces tsync-hK.
  [[ $LAB_NAME =~ ^[a-z][a-z0-9]{0,6}$ ]] && ! [[ $LAB_NAME =~ ^h[0-9]+$ ]] ||
    { echo "lab: bad TSYNC_LAB '$LAB_NAME' (want 1-7 chars [a-z0-9], starting with a letter, not hN)" >&2; exit 1; }
  STATE=$LAB_DIR/.state-$LAB_NAME
  KNOWN_HOSTS=$STATE/known_hosts
  INVENTORY=$STATE/inventory.yaml
  LAB_NS=tsync-$LAB_NAME
  HOST_NS_PREFIX=tsync-$LAB_NAME-
  VETH_PREFIX=ts-$LAB_NAME-
fi
HOSTS_DIR=$STATE/hosts
UP_DIR=$STATE/upstreams
KEY=$STATE/id_ed25519

BRIDGE=tsbr0
SUBNET=10.213.0
UPSTREAM_IPS=(10.213.0.2 10.213.0.3 10.213.0.4)
SSH_TIMEOUT=${LAB_SSH_TIMEOUT:-60}
STOP_TIMEOUT=${LAB_STOP_TIMEOUT:-8}

# NTP names the hosts resolve onto the lab upstreams (spread over the three).
NTP_NAMES_0="0.kr.pool.ntp.org 0.pool.ntp.org pool.ntp.org"
NTP_NAMES_1="1.asia.pool.ntp.org 1.pool.ntp.org time.example.com"
NTP_NAMES_2="2.asia.pool.ntp.org 2.pool.ntp.org 3.pool.ntp.org"

die() { echo "lab: $*" >&2; exit 1; }
log() { echo "lab: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- preconditions -----------------------------------------------------------

require_root() {
  [ "$(id -u)" = 0 ] || die "must run as root (needs network namespaces, mounts and systemd-nspawn)"
}

require_netns() {
  [ -e /proc/self/ns/net ] || die "no network namespace support in this kernel (/proc/self/ns/net missing)"
  command -v ip >/dev/null || die "missing 'ip' (apt-get install iproute2)"
  unshare --net true 2>/dev/null || die "cannot create network namespaces here (unshare --net failed)"
}

require_overlay() {
  grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || true
  grep -qw overlay /proc/filesystems || die "no overlayfs support in this kernel"
}

require_lab_ns() {
  [ -e /run/netns/$LAB_NS ] || die "lab is not up (no network namespace $LAB_NS): run lab/up"
}

# Installs host tools when missing; apt-get update only when something is missing.
ensure_deps() {
  local -A need=([debootstrap]=debootstrap [systemd-nspawn]=systemd-container [ip]=iproute2
                 [ssh]=openssh-client [ssh-keygen]=openssh-client [chronyd]=chrony [nft]=nftables)
  local missing=() cmd
  for cmd in "${!need[@]}"; do
    command -v "$cmd" >/dev/null || missing+=("${need[$cmd]}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  log "installing ${missing[*]}"
  # Never let package scripts start services (chronyd) on this machine.
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' >$policy; chmod 755 $policy; made_policy=1
  fi
  local rc=0
  { DEBIAN_FRONTEND=noninteractive apt-get -q update &&
    DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends "${missing[@]}"; } \
    >"$STATE/apt-host.log" 2>&1 || rc=$?
  [ -n "$made_policy" ] && rm -f $policy
  [ $rc -eq 0 ] || { tail -n 20 "$STATE/apt-host.log" >&2; die "apt-get install ${missing[*]} failed (log: $STATE/apt-host.log)"; }
}

ensure_key() {
  [ -f "$KEY" ] || ssh-keygen -q -t ed25519 -N '' -C tsync-lab -f "$KEY"
}

# --- base image --------------------------------------------------------------

RELEASES="bullseye bookworm trixie"
DEFAULT_RELEASE=bookworm
START_STATES="bare timesyncd distro-chrony ntp"

image_hash() { sha256sum "$LAB_DIR/image.sh" | cut -c1-16; }

# True when an image of the cache is still in use: mounted by a host of any lab on this machine
# (any clone, any instance), or named by a host of this clone's instances.
image_in_use() {
  local img=$1
  grep -qF "lowerdir=$img," /proc/mounts && return 0
  grep -qsxF "$img" "$LAB_DIR"/.state/hosts/*/lower "$LAB_DIR"/.state-*/hosts/*/lower
}

# Prints the path of the cached base image of RELEASE, building it first when needed.
ensure_image() {
  local release=${1:-$DEFAULT_RELEASE} hash base tmp t0
  case " $RELEASES " in *" $release "*) ;; *) die "unknown release '$release' (want one of: $RELEASES)" ;; esac
  hash=$(image_hash)
  base=$CACHE/base-$release-$hash
  if [ ! -d "$base" ]; then
    mkdir -p "$CACHE"
    # one lock per release: the three releases build side by side (debootstrap waits on the network)
    exec {lockfd}>"$CACHE/.build-$release.lock"
    flock "$lockfd"
    if [ ! -d "$base" ]; then
      rm -rf "$CACHE"/.build-"$release"-* 2>/dev/null || true
      tmp=$CACHE/.build-$release-$hash-$$
      t0=$(now)
      log "building base image $base (debootstrap $release, about 1.5 min)"
      if ! bash "$LAB_DIR/image.sh" "$tmp" "$release" >&2; then
        rm -rf "$tmp"
        die "image build of $release failed"
      fi
      mv -T "$tmp" "$base"
      log "base image $release built in $(elapsed "$t0") s"
      # drop images of older recipes of this release that no host still uses (base-<hash>: before releases)
      local old
      for old in "$CACHE"/base-"$release"-* "$CACHE"/base-????????????????; do
        [ -d "$old" ] && [ "$old" != "$base" ] || continue
        image_in_use "$old" || { rm -rf "$old"; log "removed old image $old"; }
      done
    fi
    exec {lockfd}>&-
  fi
  echo "$base"
}

# Builds (in parallel) the images of the given releases that are not cached yet.
ensure_images() {
  local r pids=() rc=0 p
  for r in "$@"; do ensure_image "$r" >/dev/null & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  [ $rc -eq 0 ] || die "building lab images failed (see above)"
}

# --- processes ---------------------------------------------------------------

# True when PID runs (not a zombie) and its command name is $2.
pid_is() {
  local pid=$1 comm=$2 st
  [ -n "$pid" ] && [ -r /proc/$pid/stat ] || return 1
  st=$(cut -d' ' -f3 /proc/$pid/stat 2>/dev/null) || return 1
  [ "$st" != Z ] || return 1
  [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$comm" ]
}

# Sends SIGTERM, waits up to $3 s, then SIGKILL.
stop_pid() {
  local pid=$1 comm=$2 timeout=${3:-$STOP_TIMEOUT} i
  pid_is "$pid" "$comm" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    pid_is "$pid" "$comm" || return 0
    sleep 0.1
  done
  log "pid $pid ($comm) ignored SIGTERM for ${timeout}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_is "$pid" "$comm" || return 0
    sleep 0.1
  done
  die "pid $pid ($comm) survived SIGKILL"
}

# Kills (by PID) any process whose root directory is DIR (container leftovers).
# One find, not a readlink per process: with 100 hosts up there are thousands of processes,
# and every host boot checks its own root for leftovers.
kill_rooted_in() {
  local dir=$1 pids=()
  mapfile -t pids < <(find /proc -mindepth 2 -maxdepth 2 -name root -lname "$dir" 2>/dev/null |
    awk -F/ '$3 ~ /^[0-9]+$/ { print $3 }')
  [ ${#pids[@]} -eq 0 ] && return 0
  kill -KILL "${pids[@]}" 2>/dev/null || true
  sleep 0.2
}

# Each host's systemd, journald, logind... hold about 8 inotify instances. They count against
# root's fs.inotify.max_user_instances (default 128), shared with every root process on this
# machine and every lab instance: past about 12 hosts in all, new hosts die at boot ("Failed to
# allocate manager object: Too many open files" in console.log) and running ones cannot start
# services. Raises the limit (never lowers it) before MORE hosts boot; small labs change nothing.
ensure_inotify() {
  local more=$1 running=0 f cur need
  for f in "$LAB_DIR"/.state/hosts/h*/pid "$LAB_DIR"/.state-*/hosts/h*/pid; do
    [ -f "$f" ] && pid_is "$(cat "$f" 2>/dev/null)" systemd-nspawn && running=$((running + 1))
  done
  need=$((48 + 10 * (running + more)))
  # what is in use already counts too: other checkouts' labs (not under LAB_DIR) filled the limit unseen
  local used
  used=$( { find /proc/[0-9]*/fd -lname 'anon_inode:inotify' 2>/dev/null || true; } | wc -l)  # processes come and go: find fails
  [ $((used + 48 + 10 * more)) -le "$need" ] || need=$((used + 48 + 10 * more))
  cur=$(cat /proc/sys/fs/inotify/max_user_instances)
  if [ "$cur" -lt "$need" ]; then
    log "raising fs.inotify.max_user_instances from $cur to $need for $((running + more)) lab hosts"
    echo "$need" >/proc/sys/fs/inotify/max_user_instances
  fi
}

# --- lab network ---------------------------------------------------------------

ensure_lab_net() {
  if [ ! -e /run/netns/$LAB_NS ]; then
    ip netns add $LAB_NS
  fi
  ip -n $LAB_NS link set lo up
  if ! ip -n $LAB_NS link show $BRIDGE >/dev/null 2>&1; then
    ip -n $LAB_NS link add $BRIDGE type bridge stp_state 0 forward_delay 0
  fi
  ip -n $LAB_NS addr replace $SUBNET.1/24 dev $BRIDGE
  local a
  for a in "${UPSTREAM_IPS[@]}"; do ip -n $LAB_NS addr replace "$a/24" dev $BRIDGE; done
  ip -n $LAB_NS link set $BRIDGE up
}

# --- upstream NTP servers (chronyd -x in the lab namespace) ----------------------

upstream_running() { # index 0..2
  local pid
  pid=$(cat "$UP_DIR/u$1.pid" 2>/dev/null) || return 1
  pid_is "$pid" chronyd && tr '\0' ' ' </proc/$pid/cmdline | grep -qF "$UP_DIR/u$1.conf"
}

upstreams_start() {
  mkdir -p "$UP_DIR"
  local i ip j
  for i in 0 1 2; do
    upstream_running $i && continue
    ip=${UPSTREAM_IPS[$i]}
    cat >"$UP_DIR/u$i.conf" <<EOF
# tsync lab NTP upstream $ip (serves this machine's clock, never adjusts it)
port 123
bindaddress $ip
cmdport 0
bindcmdaddress /
allow $SUBNET.0/24
local stratum 8
pidfile $UP_DIR/u$i.pid
EOF
    rm -f "$UP_DIR/u$i.pid"
    ip netns exec $LAB_NS chronyd -x -u root -f "$UP_DIR/u$i.conf" -l "$UP_DIR/u$i.log" 8>&- 9>&- \
      || die "chronyd for upstream $ip failed to start (log: $UP_DIR/u$i.log)"
    for ((j = 0; j < 50; j++)); do
      upstream_running $i && break
      sleep 0.1
    done
    upstream_running $i || die "chronyd for upstream $ip did not write $UP_DIR/u$i.pid (log: $UP_DIR/u$i.log)"
  done
}

upstreams_stop() {
  local i
  for i in 0 1 2; do
    if upstream_running $i; then stop_pid "$(cat "$UP_DIR/u$i.pid")" chronyd 5; fi
    rm -f "$UP_DIR/u$i.pid"
  done
}

# --- hosts -----------------------------------------------------------------------

host_num() { # h7 -> 7
  [[ $1 =~ ^h([1-9][0-9]*)$ ]] && [ "${BASH_REMATCH[1]}" -le 240 ] || die "bad host name '$1' (want h1..h240)"
  echo "${BASH_REMATCH[1]}"
}
host_ip() { echo "$SUBNET.$((10 + $(host_num "$1")))"; }
host_dir() { echo "$HOSTS_DIR/$1"; }
host_pid() { cat "$HOSTS_DIR/$1/pid" 2>/dev/null || true; }
host_running() { pid_is "$(host_pid "$1")" "$(host_comm "$1")"; }
host_comm() { if host_is_guest "$1"; then echo "$GUEST_COMM"; else echo systemd-nspawn; fi; }
host_ns() { echo "$HOST_NS_PREFIX$1"; }        # network namespace of host hK
host_machine() { echo "$HOST_NS_PREFIX$1"; }   # its nspawn machine name
host_veth() { echo "$VETH_PREFIX$1"; }         # its veth end on the lab bridge (<= 15 chars)

# Hosts with a state dir, in numeric order.
known_hosts_list() {
  local d
  [ -d "$HOSTS_DIR" ] || return 0
  for d in "$HOSTS_DIR"/h*; do [ -d "$d" ] && basename "$d"; done | sort -V
}
running_hosts() {
  local h
  for h in $(known_hosts_list); do host_running "$h" && echo "$h"; done
  return 0
}

host_net() {
  local h=$1 ns veth ip
  ns=$(host_ns "$h"); veth=$(host_veth "$h")
  ip=$(host_ip "$h")
  [ -e /run/netns/$ns ] || ip netns add $ns
  if ! ip -n $ns link show eth0 >/dev/null 2>&1; then
    ip -n $LAB_NS link del $veth 2>/dev/null || true
    ip link add $veth netns $LAB_NS type veth peer name eth0 netns $ns
  fi
  ip -n $LAB_NS link set $veth master $BRIDGE up
  ip -n $ns link set lo up
  ip -n $ns addr replace "$ip/24" dev eth0
  ip -n $ns link set eth0 up
}

host_net_del() {
  local h=$1 ns
  ns=$(host_ns "$h")
  ip -n $LAB_NS link del "$(host_veth "$h")" 2>/dev/null || true
  [ -e /run/netns/$ns ] && ip netns del $ns
  return 0
}

is_mounted() { awk -v m="$1" '$2 == m { f = 1 } END { exit !f }' /proc/mounts; }

host_mount() {
  local h=$1 d base
  d=$(host_dir "$h")
  base=$(cat "$d/lower")
  [ -d "$base" ] || die "$h: its base image $base is gone: lab/reset $h"
  mkdir -p "$d/upper" "$d/work" "$d/root"
  is_mounted "$d/root" || mount -t overlay overlay \
    -o "lowerdir=$base,upperdir=$d/upper,workdir=$d/work" "$d/root"
}

host_umount() {
  local d
  d=$(host_dir "$1")
  if is_mounted "$d/root"; then
    kill_rooted_in "$d/root"
    # nspawn's image lock file (left behind when nspawn was SIGKILLed)
    local lock
    lock=/run/systemd/nspawn/locks/inode-$(stat -c %d:%i "$d/root")
    umount "$d/root" 2>/dev/null || umount -l "$d/root"
    rm -f "$lock"
  fi
}

# Fresh identity in the upper dir: host keys, machine-id, hostname, hosts, authorized_keys.
host_identity() {
  local h=$1 r ip pub u home uid gid
  r=$(host_dir "$h")/root
  ip=$(host_ip "$h")
  rm -f "$r"/etc/ssh/ssh_host_*
  ssh-keygen -q -A -f "$r" >/dev/null
  # comments name the host, not this machine
  for pub in "$r"/etc/ssh/ssh_host_*_key.pub; do
    awk -v c="root@$h" '{ print $1, $2, c }' "$pub" >"$pub.tmp" && mv "$pub.tmp" "$pub"
  done
  tr -d '-' </proc/sys/kernel/random/uuid >"$r/etc/machine-id"
  echo "$h" >"$r/etc/hostname"
  cat >"$r/etc/hosts" <<EOF
127.0.0.1	localhost
$ip	$h
${UPSTREAM_IPS[0]}	$NTP_NAMES_0
${UPSTREAM_IPS[1]}	$NTP_NAMES_1
${UPSTREAM_IPS[2]}	$NTP_NAMES_2

::1	localhost ip6-localhost ip6-loopback
ff02::1	ip6-allnodes
ff02::2	ip6-allrouters
EOF
  for u in root deploy ops; do
    home=$(awk -F: -v u=$u '$1 == u { print $6 }' "$r/etc/passwd")
    uid=$(awk -F: -v u=$u '$1 == u { print $3 }' "$r/etc/passwd")
    gid=$(awk -F: -v u=$u '$1 == u { print $4 }' "$r/etc/passwd")
    install -d -m 0700 -o "$uid" -g "$gid" "$r$home/.ssh"
    install -m 0600 -o "$uid" -g "$gid" "$KEY.pub" "$r$home/.ssh/authorized_keys"
  done
}

# Creates a fresh host (state dir, overlay, identity) of RELEASE that is to start in STATE
# (applied by host_prepare once it answers on SSH). The host must be stopped.
host_create() {
  local h=$1 release=$2 start=${3:-bare} d
  [ "${4:-container}" = vm ] && { guest_create "$h" "$release" "$start"; return; }
  d=$(host_dir "$h")
  host_umount "$h"
  rm -rf "$d"
  mkdir -p "$d"
  ensure_image "$release" >"$d/lower"
  echo "$release" >"$d/release"
  echo "$start" >"$d/start"
  host_mount "$h"
  host_identity "$h"
}

host_release() { cat "$HOSTS_DIR/$1/release" 2>/dev/null || echo "$DEFAULT_RELEASE"; }
host_start() { cat "$HOSTS_DIR/$1/start" 2>/dev/null || echo bare; }

# Puts a freshly booted host into its starting state, as a real server of that kind starts:
#   bare           nothing but the image (no time service)
#   timesyncd      systemd-timesyncd installed and enabled (and running where the container lets it)
#   distro-chrony  chrony with the distribution's own default config, enabled and running
#   ntp            the release's ntp (bullseye: ntp 4.2.8) or ntpsec, default config, running
# Packages come from the image's offline apt cache, through the packages' own maintainer
# scripts (they enable and start the service, as on a real server). Done once per fresh disk.
host_prepare() {
  local h=$1 d start pkg
  d=$(host_dir "$h")
  [ -f "$d/prepared" ] && return 0
  start=$(host_start "$h")
  case $start in
    bare) pkg= ;;
    timesyncd) pkg=systemd-timesyncd ;;
    distro-chrony) pkg=chrony ;;
    ntp) if [ "$(host_release "$h")" = bullseye ]; then pkg=ntp; else pkg=ntpsec; fi ;;
    *) die "$h: unknown start state '$start' (want one of: $START_STATES)" ;;
  esac
  if [ -n "$pkg" ]; then
    # shellcheck disable=SC2046
    ip netns exec $LAB_NS ssh $(ssh_opts) "root@$(host_ip "$h")" \
      "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkg" \
      </dev/null >"$d/prepare.log" 2>&1 || { tail -n 15 "$d/prepare.log" >&2; die "$h: installing $pkg for start state '$start' failed (log: $d/prepare.log)"; }
  fi
  touch "$d/prepared"
}

# The host's own cgroup, one directory per hierarchy systemd uses: the cgroup2 tree (all of
# /sys/fs/cgroup on a unified host, /sys/fs/cgroup/unified on this machine's hybrid layout)
# and the legacy name=systemd tree. nspawn --keep-unit puts the container's payload under
# the cgroup it is started in; this machine's PID 1 is not systemd, so that is the root for
# everyone, and every container on the machine would share /payload: each container's
# systemd would create /payload/system.slice/UNIT.service in one shared tree, two hosts
# running the same unit at once would share its cgroup, and one host's stop killed or
# removed the other's ("Failed to kill control group ... Input/output error", a start
# failing with status=219/CGROUP, an old ntpd left on port 123).
lab_cgroups() {
  local root
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    echo "/sys/fs/cgroup/tsync-lab/$LAB_NAME"
    return
  fi
  for root in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd; do
    [ -f "$root/cgroup.procs" ] && echo "$root/tsync-lab/$LAB_NAME"
  done
  return 0
}
host_cgroups() { local c; for c in $(lab_cgroups); do echo "$c/$1"; done; }

# Removes cgroup trees, deepest first; processes still in them are killed first. Then the
# instance's and the lab's directories, once empty.
cgroups_remove() {
  local cg pids
  for cg in "$@"; do
    [ -d "$cg" ] || continue
    mapfile -t pids < <(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null)
    [ ${#pids[@]} -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null || true
    find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  for cg in $(lab_cgroups); do rmdir "$cg" "${cg%/*}" 2>/dev/null || true; done
}

# shellcheck disable=SC2046  # one path per word
host_cgroups_remove() { cgroups_remove $(host_cgroups "$1"); }

# Boots the host in the background; returns at once.
host_boot() {
  local h=$1 d pid cgs
  host_is_guest "$h" && { guest_boot "$h"; return; }
  d=$(host_dir "$h")
  host_stop "$h"   # leftovers of a crashed or killed host: processes, mount
  host_net "$h"
  host_mount "$h"
  cgs=$(host_cgroups "$h")
  # shellcheck disable=SC2086  # one path per word
  [ -z "$cgs" ] || mkdir -p $cgs
  # shellcheck disable=SC2016  # $$ and $1 belong to the inner shell
  setsid nohup bash -c 'for c in $1; do echo $$ >"$c/cgroup.procs" || exit 1; done; shift; exec "$@"' _ "$cgs" \
    systemd-nspawn -D "$d/root" -M "$(host_machine "$h")" --register=no --keep-unit --boot -q \
    --network-namespace-path=/run/netns/"$(host_ns "$h")" \
    --resolv-conf=off --timezone=off --link-journal=no --console=read-only \
    </dev/null >>"$d/console.log" 2>&1 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$d/pid"
}

host_stop() {
  local h=$1 d
  host_is_guest "$h" && { guest_stop "$h"; return; }
  d=$(host_dir "$h")
  stop_pid "$(host_pid "$h")" systemd-nspawn
  rm -f "$d/pid"
  host_umount "$h"
  host_cgroups_remove "$h"
  # nspawn leaves an empty per-machine dir behind when it runs without systemd
  rmdir "/run/systemd/nspawn/propagate/$(host_machine "$h")" 2>/dev/null || true
}

ssh_opts() {
  echo -i "$KEY" -o UserKnownHostsFile="$KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o LogLevel=ERROR
}

# Polls until root@host answers on SSH with the lab key and strict known_hosts.
host_wait_ssh() {
  local h=$1 ip t0 deadline pid
  ip=$(host_ip "$h")
  t0=$(date +%s)
  deadline=$((t0 + $(if host_is_guest "$h"; then echo "$GUEST_SSH_TIMEOUT"; else echo "$SSH_TIMEOUT"; fi)))
  pid=$(host_pid "$h")
  while :; do
    # shellcheck disable=SC2046
    if ip netns exec $LAB_NS ssh $(ssh_opts) -o ConnectTimeout=2 "root@$ip" true </dev/null 2>/dev/null; then
      return 0
    fi
    if ! pid_is "$pid" "$(host_comm "$h")"; then
      tail -n 15 "$(host_dir "$h")/console.log" >&2 || true
      die "$h ($ip): $(host_comm "$h") (pid $pid) exited while waiting for SSH; console: $(host_dir "$h")/console.log"
    fi
    if [ "$(date +%s)" -ge $deadline ]; then
      die "$h ($ip): no SSH answer (root, lab key, strict known_hosts) within $((deadline - t0))s; console: $(host_dir "$h")/console.log"
    fi
    sleep 0.25
  done
}

# Waits for several hosts in parallel; fails if any fails.
wait_ssh_all() {
  local h pids=() rc=0 p
  for h in "$@"; do host_wait_ssh "$h" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  [ $rc -eq 0 ] || die "some hosts did not come up (see above)"
}

# Runs "FUNC host" for each host in parallel; fails if any fails.
parallel_hosts() {
  local fn=$1 h pids=() rc=0 p
  shift
  for h in "$@"; do "$fn" "$h" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  [ $rc -eq 0 ] || die "$fn failed for some hosts (see above)"
}

# --- generated files -----------------------------------------------------------

write_known_hosts() {
  local h ip pub tmp
  tmp=$KNOWN_HOSTS.tmp.$$
  : >"$tmp"
  for h in $(known_hosts_list); do
    ip=$(host_ip "$h")
    for pub in "$HOSTS_DIR/$h"/upper/etc/ssh/ssh_host_{ed25519,ecdsa,rsa}_key.pub; do
      [ -f "$pub" ] && awk -v ip="$ip" '{ print ip, $1, $2 }' "$pub" >>"$tmp"
    done
  done
  mv -f "$tmp" "$KNOWN_HOSTS"
}

write_inventory() {
  local h tmp
  tmp=$INVENTORY.tmp.$$
  {
    echo "# generated by lab/up: do not edit"
    echo "all:"
    echo "  vars:"
    echo "    ansible_user: root"
    echo "    ansible_ssh_private_key_file: $KEY"
    echo "    tsync_known_hosts: $KNOWN_HOSTS"
    echo "  hosts:"
    for h in $(known_hosts_list); do
      echo "    $h: { ansible_host: $(host_ip "$h"), lab_release: $(host_release "$h"), lab_start: $(host_start "$h"), lab_tier: $(host_tier "$h") }"
    done
  } >"$tmp"
  mv -f "$tmp" "$INVENTORY"
}

# Serialises commands that change the lab (up, down, reset, start, stop, upstreams).
lab_lock() {
  mkdir -p "$STATE"
  exec 9>"$STATE/lock"
  flock -w 600 9 || die "another lab command holds $STATE/lock"
}

lab_init() {
  require_root
  require_netns
  mkdir -p "$STATE" "$HOSTS_DIR"
  lab_lock
}

. "$LAB_DIR/guest.sh"
