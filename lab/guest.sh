# Guests: lab hosts with their own kernel and clock (user-mode Linux), sourced by lab/lib.sh.
# Same names, addresses, keys, known_hosts, inventory and verbs as the containers; lib.sh's
# host_* functions hand a host to the guest_* functions here when its dir holds tier=vm.
# Why UML and not QEMU, and what a guest cannot do: lab/README.md "Guests".
# shellcheck shell=bash

GUEST_KERNEL=/usr/bin/linux
GUEST_MODULES=/usr/lib/uml/modules
GUEST_MEM=${LAB_GUEST_MEM:-256M}
GUEST_CLOCK_PORT=12300          # the guest's raw-clock responder (UDP), for lab/clock
GUEST_COMM=linux                # the UML kernel process's command name
# boots take 12-16 s on a quiet machine, about 2 min when 2 cores run 20 jobs
GUEST_SSH_TIMEOUT=${LAB_GUEST_SSH_TIMEOUT:-300}

host_is_guest() { [ "$(cat "$HOSTS_DIR/$1/tier" 2>/dev/null)" = vm ]; }
host_tier() { if host_is_guest "$1"; then echo vm; else echo container; fi; }

ensure_guest_deps() {
  [ -x "$GUEST_KERNEL" ] && command -v uml_mconsole >/dev/null && command -v mkfs.ext4 >/dev/null &&
    command -v python3 >/dev/null && [ -c /dev/net/tun ] && return 0
  log "installing user-mode-linux uml-utilities e2fsprogs python3"
  DEBIAN_FRONTEND=noninteractive apt-get -q update >"$STATE/apt-guest.log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends \
      user-mode-linux uml-utilities e2fsprogs python3 >>"$STATE/apt-guest.log" 2>&1 ||
    { tail -n 20 "$STATE/apt-guest.log" >&2; die "installing the guest tools failed (log: $STATE/apt-guest.log)"; }
  [ -c /dev/net/tun ] || { mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }
  # UML maps its memory from TMPDIR, which must be an executable tmpfs
  findmnt -no OPTIONS /dev/shm | grep -qw noexec && die "/dev/shm is mounted noexec: user-mode Linux needs it executable"
  return 0
}

# Guest image of RELEASE: the container base image plus what a kernel of its own needs, as one
# ext4 file that every guest's copy-on-write disk shares. Keyed by the base image and this file.
guest_image_path() {
  local base=$1
  echo "$CACHE/guest-${base##*/base-}-$(sha256sum "$LAB_DIR/guest.sh" | cut -c1-12).img"
}

ensure_guest_image() {
  local release=$1 base img tmp t0 lockfd old
  base=$(ensure_image "$release")
  img=$(guest_image_path "$base")
  if [ ! -f "$img" ]; then
    exec {lockfd}>"$CACHE/.guest-$release.lock"
    flock "$lockfd"
    if [ ! -f "$img" ]; then
      t0=$(now)
      tmp=$CACHE/.guest-build-$release-$$
      rm -rf "$tmp" "$tmp.img"
      log "building guest image $img from $base (about 20 s)"
      cp -a "$base" "$tmp"
      guest_image_tree "$tmp" "$release"
      mkfs.ext4 -q -F -L tsync-guest -d "$tmp" "$tmp.img" 3G >&2 || { rm -rf "$tmp" "$tmp.img"; die "mkfs.ext4 of the $release guest image failed"; }
      rm -rf "$tmp"
      mv -T "$tmp.img" "$img"
      log "guest image $release built in $(elapsed "$t0") s"
      for old in "$CACHE"/guest-"$release"-*.img; do
        [ "$old" != "$img" ] || continue
        # kept while a lab of this checkout names it or a guest of any checkout runs on it
        grep -qsxF "$old" "$LAB_DIR"/.state/hosts/*/guest-image "$LAB_DIR"/.state-*/hosts/*/guest-image ||
          grep -qsF "$old" /proc/[0-9]*/cmdline ||
          { rm -f "$old"; log "removed old guest image $old"; }
      done
    fi
    exec {lockfd}>&-
  fi
  echo "$img"
}

# Turns a copy of a container tree into a guest tree.
guest_image_tree() {
  local t=$1 kver
  kver=$(ls "$GUEST_MODULES" | head -n 1)
  mkdir -p "$t/lib/modules"
  cp -a "$GUEST_MODULES/$kver" "$t/lib/modules/"
  # the lab's drop-ins run the daemons without clock control (chronyd -x): a guest's clock is its own
  rm -f "$t"/etc/systemd/system/*.service.d/tsync-lab.conf
  rmdir "$t"/etc/systemd/system/*.service.d 2>/dev/null || true
  echo '/dev/ubda / ext4 rw,noatime 0 1' >"$t/etc/fstab"
  # uml_mconsole cad (lab/stop) powers the guest off cleanly instead of rebooting it
  ln -sf /lib/systemd/system/poweroff.target "$t/etc/systemd/system/ctrl-alt-del.target"
  # the kernel console is console.log; no gettys on UML's virtual terminals
  ln -sf /dev/null "$t/etc/systemd/system/getty@.service"
  ln -sf /dev/null "$t/etc/systemd/system/serial-getty@.service"
  # units that fail or only cost time under UML (no binfmt_misc, no static nodes list)
  for u in e2scrub_reap.service kmod-static-nodes.service systemd-binfmt.service proc-sys-fs-binfmt_misc.mount; do
    ln -sf /dev/null "$t/etc/systemd/system/$u"
  done

  guest_apt_offline "$t"

  mkdir -p "$t/usr/local/sbin"
  # Identity (second disk, written by the lab), address and boot-time clock offset (kernel
  # command line: tsync.ip=, tsync.clock=). UML has no RTC: a clock that is wrong at boot is set here.
  cat >"$t/usr/local/sbin/tsync-guest-init" <<'EOF'
#!/bin/sh
set -e
ip= clock=
for a in $(cat /proc/cmdline); do
  case $a in tsync.ip=*) ip=${a#*=} ;; tsync.clock=*) clock=${a#*=} ;; esac
done
if [ -b /dev/ubdb ]; then
  mkdir -p /run/tsync-ident
  mount -o ro /dev/ubdb /run/tsync-ident
  (cd /run/tsync-ident && tar --exclude=./lost+found -cf - .) | tar -C / -xpf -
  umount /run/tsync-ident
  cat /etc/hostname >/proc/sys/kernel/hostname
fi
if [ -n "$clock" ]; then
  python3 -c 'import sys, time; time.clock_settime(time.CLOCK_REALTIME, time.clock_gettime(time.CLOCK_REALTIME) + float(sys.argv[1]))' "$clock"
fi
ip link set lo up
if [ -n "$ip" ]; then ip addr replace "$ip" dev vec0; ip link set vec0 up; fi
EOF
  cat >"$t/etc/systemd/system/tsync-guest-init.service" <<'EOF'
[Unit]
Description=tsync lab guest: identity, address and boot clock
DefaultDependencies=no
After=local-fs.target systemd-remount-fs.service
Before=sysinit.target network-pre.target network.target ssh.service chrony.service ntp.service ntpsec.service systemd-timesyncd.service time-set.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/tsync-guest-init

[Install]
WantedBy=sysinit.target
EOF
  # The lab's independent view of the guest's clock: one UDP datagram in, CLOCK_REALTIME and
  # CLOCK_BOOTTIME in nanoseconds out (no fork, no shell), so lab/clock needs nothing tsync uses;
  # the time since boot tells a watch which boot a reading came from.
  cat >"$t/usr/local/sbin/tsync-clockd" <<EOF
#!/usr/bin/python3
import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", $GUEST_CLOCK_PORT))
while True:
    data, peer = s.recvfrom(64)
    s.sendto(data[:16] + struct.pack("!qq", time.clock_gettime_ns(time.CLOCK_REALTIME), time.clock_gettime_ns(time.CLOCK_BOOTTIME)), peer)
EOF
  cat >"$t/etc/systemd/system/tsync-clockd.service" <<'EOF'
[Unit]
Description=tsync lab guest: raw clock responder for lab/clock
After=tsync-guest-init.service

[Service]
ExecStart=/usr/bin/python3 /usr/local/sbin/tsync-clockd
Restart=always

[Install]
WantedBy=multi-user.target
EOF
  chmod 755 "$t/usr/local/sbin/tsync-guest-init" "$t/usr/local/sbin/tsync-clockd"
  mkdir -p "$t/etc/systemd/system/sysinit.target.wants" "$t/etc/systemd/system/multi-user.target.wants"
  ln -sf /etc/systemd/system/tsync-guest-init.service "$t/etc/systemd/system/sysinit.target.wants/"
  ln -sf /etc/systemd/system/tsync-clockd.service "$t/etc/systemd/system/multi-user.target.wants/"
}

# apt in a guest sees only what it can install: the hosts are offline, so the release's Packages
# indexes are cut to the packages installed or cached in /var/cache/apt/archives (about 200 of
# 63,000). apt reads and caches every index on each run, and under UML that was 4.5-7.6 s of CPU per
# apt-get (1.2-1.4 s cut); resolution is unchanged, since nothing outside the cache can be fetched.
# dpkg's fsync per unpacked file (a host fsync through UML's disk) is off, as in Debian's
# container images (force-unsafe-io): a lab guest's disk is thrown away, not recovered.
guest_apt_offline() {
  local t=$1
  python3 - "$t" <<'EOF'
import glob, os, re, sys
root = sys.argv[1]
keep = set()
with open(os.path.join(root, "var/lib/dpkg/status")) as f:
    for line in f:
        if line.startswith("Package: "):
            keep.add(line.split()[1])
for deb in glob.glob(os.path.join(root, "var/cache/apt/archives/*.deb")):
    keep.add(os.path.basename(deb).split("_")[0])
for p in glob.glob(os.path.join(root, "var/lib/apt/lists/*_Packages")):
    with open(p) as f:
        stanzas = f.read().split("\n\n")
    kept = [s for s in stanzas if (m := re.match(r"Package: (\S+)", s)) and m.group(1) in keep]
    with open(p, "w") as f:
        f.write("\n\n".join(kept) + "\n")
EOF
  rm -f "$t"/var/cache/apt/*.bin
  echo force-unsafe-io >"$t/etc/dpkg/dpkg.cfg.d/tsync-lab-guest-unsafe-io"
}

guest_tap() { host_veth "$1"; }     # the guest's tap on the lab bridge (the container's veth name)
guest_umid() { host_machine "$1"; }

guest_create() {
  local h=$1 release=$2 start=$3 d
  d=$(host_dir "$h")
  guest_stop "$h"
  rm -rf "$d"
  mkdir -p "$d"
  echo vm >"$d/tier"
  ensure_guest_image "$release" >"$d/guest-image"
  ensure_image "$release" >"$d/lower"   # the tree the guest image came from (kept while in use)
  echo "$release" >"$d/release"
  echo "$start" >"$d/start"
  guest_identity "$h" "$(cat "$d/lower")"
}

# The host's identity as a tree in upper/ (where write_known_hosts reads the host keys) and as
# the small read-only disk the guest copies it from at every boot.
guest_identity() {
  local h=$1 base=$2 d u home uid gid pub
  d=$(host_dir "$h")
  rm -rf "$d/upper"
  mkdir -p "$d/upper/etc/ssh"
  ssh-keygen -q -A -f "$d/upper" >/dev/null
  for pub in "$d"/upper/etc/ssh/ssh_host_*_key.pub; do
    awk -v c="root@$h" '{ print $1, $2, c }' "$pub" >"$pub.tmp" && mv "$pub.tmp" "$pub"
  done
  echo "$h" >"$d/upper/etc/hostname"
  cat >"$d/upper/etc/hosts" <<EOF
127.0.0.1	localhost
$(host_ip "$h")	$h
${UPSTREAM_IPS[0]}	$NTP_NAMES_0
${UPSTREAM_IPS[1]}	$NTP_NAMES_1
${UPSTREAM_IPS[2]}	$NTP_NAMES_2

::1	localhost ip6-localhost ip6-loopback
EOF
  for u in root deploy ops; do
    home=$(awk -F: -v u=$u '$1 == u { print $6 }' "$base/etc/passwd")
    uid=$(awk -F: -v u=$u '$1 == u { print $3 }' "$base/etc/passwd")
    gid=$(awk -F: -v u=$u '$1 == u { print $4 }' "$base/etc/passwd")
    install -d -m 0700 -o "$uid" -g "$gid" "$d/upper$home/.ssh"
    install -m 0600 -o "$uid" -g "$gid" "$KEY.pub" "$d/upper$home/.ssh/authorized_keys"
  done
  mkfs.ext4 -q -F -d "$d/upper" "$d/ident.img" 8M >/dev/null
}

guest_running() { pid_is "$(host_pid "$1")" "$GUEST_COMM"; }

# Boots the guest in the background; returns at once. CLOCK (seconds, optional) sets its clock
# that far off true time early at boot, before any time daemon starts (there is no RTC to set).
guest_boot() {
  local h=$1 clock=${2:-} d tap ip img mac args
  d=$(host_dir "$h")
  guest_stop "$h"
  img=$(cat "$d/guest-image")
  [ -f "$img" ] || die "$h: its guest image $img is gone: lab/reset $h"
  tap=$(guest_tap "$h"); ip=$(host_ip "$h")
  ip -n "$LAB_NS" link del "$tap" 2>/dev/null || true
  ip -n "$LAB_NS" tuntap add dev "$tap" mode tap
  ip -n "$LAB_NS" link set "$tap" master "$BRIDGE" up
  mac=$(printf '02:54:0d:00:%02x:%02x' $(($(host_num "$h") / 256)) $(($(host_num "$h") % 256)))
  mkdir -p "$d/uml"
  args=(umid="$(guest_umid "$h")" uml_dir="$d/uml/" mem="$GUEST_MEM"
        ubd0="$d/disk.cow,$img" ubd1r="$d/ident.img" root=/dev/ubda rw
        "vec0:transport=tap,ifname=$tap,mac=$mac" con=null ssl=null con0=null,fd:1
        init=/lib/systemd/systemd panic=-1 "tsync.ip=$ip/24" systemd.hostname="$h")
  [ -z "$clock" ] || args+=("tsync.clock=$clock")
  # its own process group (setsid), so that stopping it ends UML's helper processes too
  TMPDIR=/dev/shm setsid ip netns exec "$LAB_NS" "$GUEST_KERNEL" "${args[@]}" \
    </dev/null >>"$d/console.log" 2>&1 8>&- 9>&- &
  echo $! >"$d/pid"
  # ip netns exec replaces itself with the kernel: wait until the pid names it
  local i
  for ((i = 0; i < 50; i++)); do guest_running "$h" && return 0; sleep 0.1; done
  tail -n 15 "$d/console.log" >&2
  die "$h: user-mode Linux did not start (console: $d/console.log)"
}

# Powers the guest off (ctrl-alt-del is poweroff in the image), then ends its process group.
guest_stop() {
  local h=$1 d pid i
  d=$(host_dir "$h")
  pid=$(host_pid "$h")
  if guest_running "$h"; then
    timeout 5 uml_mconsole "$d/uml/$(guest_umid "$h")/mconsole" cad >/dev/null 2>&1 || true
    for ((i = 0; i < STOP_TIMEOUT * 20; i++)); do guest_running "$h" || break; sleep 0.1; done
    guest_running "$h" && log "$h: guest did not power off within $((STOP_TIMEOUT * 2)) s: SIGKILL"
  fi
  [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$d/pid"
  [ -e "/run/netns/$LAB_NS" ] && ip -n "$LAB_NS" link del "$(guest_tap "$h")" 2>/dev/null || true
  return 0
}

# The guest's clock against this machine's, from the lab namespace: several UDP exchanges with
# the guest's raw-clock responder, the one with the shortest round trip; prints
# "offset SECONDS error SECONDS" (error: half that round trip). With INTERVAL (seconds), measures
# again every INTERVAL until killed: "UNIXTIME offset SECONDS error SECONDS uptime SECONDS", UNIXTIME
# this machine's time of the exchange used, uptime the guest's time since boot (one process for
# the whole watch, so that watching costs the guest nothing but the datagrams).
guest_clock_measure() {
  local h=$1 interval=${2:-0}
  ip netns exec "$LAB_NS" python3 - "$(host_ip "$h")" "$GUEST_CLOCK_PORT" "$interval" <<'EOF'
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
interval = float(sys.argv[3])

def measure():
    best = None
    missed = 0
    for i in range(12):
        if best is None and missed == 2:
            break   # a guest that is down or booting: say so now, not after 12 timeouts
        t1 = time.clock_gettime_ns(time.CLOCK_REALTIME)
        try:
            s.sendto(struct.pack("!qq", i, t1), (sys.argv[1], int(sys.argv[2])))
            while True:
                data = s.recv(64)
                t4 = time.clock_gettime_ns(time.CLOCK_REALTIME)
                if len(data) == 32 and struct.unpack("!q", data[:8])[0] == i:
                    break
        except socket.timeout:
            missed += 1
            continue
        except OSError:     # no route or port unreachable yet: the guest is (re)booting
            missed += 1
            time.sleep(0.2)
            continue
        guest, uptime = struct.unpack("!qq", data[16:32])
        rtt = t4 - t1
        if best is None or rtt < best[0]:
            best = (rtt, guest - (t1 + t4) // 2, (t1 + t4) // 2, uptime)
        time.sleep(0.02)
    return best

if interval <= 0:
    best = measure()
    if best is None:
        sys.exit("no answer from the guest's clock responder at %s:%s/udp" % (sys.argv[1], sys.argv[2]))
    print("offset %+.6f error %.6f" % (best[1] / 1e9, best[0] / 2e9))
    sys.exit(0)
while True:
    best = measure()
    if best is None:
        print("%.3f no answer" % time.time(), flush=True)
    else:
        print("%.3f offset %+.6f error %.6f uptime %.3f" % (best[2] / 1e9, best[1] / 1e9, best[0] / 2e9, best[3] / 1e9), flush=True)
    time.sleep(interval)
EOF
}
