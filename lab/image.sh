#!/bin/bash
# Builds the lab's base image (a bootable Debian tree of RELEASE) into DIR.
# Called by lab/lib.sh as `image.sh DIR RELEASE`; the cache key is the release and the
# sha256 of this file, so any change here rebuilds the images.
set -euo pipefail

dir=${1:?usage: image.sh DIR RELEASE}
release=${2:?usage: image.sh DIR RELEASE}
mirror=${LAB_MIRROR:-http://deb.debian.org/debian}

# What differs between releases, as data: the ntp daemon package and its systemd unit.
#   bullseye (11): classic ntp 4.2.8 (service ntp, /etc/ntp.conf), chrony 4.0, timesyncd 247
#   bookworm (12): ntpsec (service ntpsec, /etc/ntpsec/ntp.conf), chrony 4.3
#   trixie   (13): ntpsec, chrony 4.6, systemd 257
case $release in
  bullseye) ntp_pkg=ntp ;;
  bookworm | trixie) ntp_pkg=ntpsec ;;
  *) echo "lab: unknown release '$release' (want bullseye, bookworm or trixie)" >&2; exit 2 ;;
esac

debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,dbus,openssh-server,sudo,python3,iproute2,procps,tzdata \
  "$release" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 || {
  echo "lab: debootstrap failed, last lines of $dir.debootstrap.log:" >&2
  tail -n 20 "$dir.debootstrap.log" >&2
  exit 1
}

cat >"$dir/etc/apt/sources.list" <<EOF
deb $mirror $release main
deb $mirror $release-updates main
deb http://deb.debian.org/debian-security $release-security main
EOF

# apt must keep the .debs: hosts are offline and install chrony/ntpsec from the cache.
cat >"$dir/etc/apt/apt.conf.d/90tsync-lab" <<'EOF'
// tsync lab: hosts have no route out; keep downloaded packages as the offline cache.
APT::Keep-Downloaded-Packages "true";
Binary::apt::APT::Keep-Downloaded-Packages "true";
Acquire::Languages "none";
EOF
rm -f "$dir/etc/apt/apt.conf.d/docker-clean"

cp /etc/resolv.conf "$dir/etc/resolv.conf"

# Run the apt steps in a private mount namespace: /proc goes away with it.
unshare --mount --propagation private /bin/bash -euo pipefail -c '
  dir=$1
  mount -t proc proc "$dir/proc"
  export DEBIAN_FRONTEND=noninteractive LC_ALL=C
  chroot "$dir" apt-get -q update
  # the release'"'"'s point and security updates, so that the offline packages below (systemd-timesyncd
  # pins the exact systemd version) install without upgrading systemd on a running host
  chroot "$dir" apt-get -q -y -o Dpkg::Options::=--force-confold dist-upgrade
  chroot "$dir" apt-get -q clean   # drop debootstrap'"'"'s own .debs; keep only the offline set
  # chrony, ntp/ntpsec and systemd-timesyncd conflict (time-daemon): download each on its own.
  chroot "$dir" apt-get -q install -y --download-only chrony
  chroot "$dir" apt-get -q install -y --download-only "$2"
  chroot "$dir" apt-get -q install -y --download-only systemd-timesyncd
  # tzdata is installed; keep its .deb so a host that lost it (minimal images) can get it back
  chroot "$dir" apt-get -q install -y --download-only --reinstall tzdata
' _ "$dir" "$ntp_pkg" >"$dir.apt.log" 2>&1 || {
  echo "lab: apt steps in the image failed, last lines of $dir.apt.log:" >&2
  tail -n 20 "$dir.apt.log" >&2
  exit 1
}
ls "$dir"/var/cache/apt/archives/chrony_*.deb "$dir"/var/cache/apt/archives/"${ntp_pkg}"_*.deb \
  "$dir"/var/cache/apt/archives/systemd-timesyncd_*.deb "$dir"/var/cache/apt/archives/tzdata_*.deb >/dev/null

: >"$dir/etc/resolv.conf"

# ssh: socket activation would take *:22; use the service. Keys are per host.
ln -sf /dev/null "$dir/etc/systemd/system/ssh.socket"
mkdir -p "$dir/etc/systemd/system/multi-user.target.wants"
ln -sf /lib/systemd/system/ssh.service "$dir/etc/systemd/system/multi-user.target.wants/ssh.service"
ln -sf /lib/systemd/system/ssh.service "$dir/etc/systemd/system/sshd.service"
rm -f "$dir"/etc/ssh/ssh_host_*
cat >"$dir/etc/ssh/sshd_config.d/tsync-lab.conf" <<'EOF'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
EOF

# Time daemons without CAP_SYS_TIME (see LAB-NOTES): clear the condition, never
# control the clock, keep running as root. Written per release: a drop-in directory also
# applies to a unit's aliases (ntpsec's unit is aliased ntp.service on 12 and 13).
dropin() { # UNIT: writes stdin as the unit's lab drop-in
  mkdir -p "$dir/etc/systemd/system/$1.d"
  cat >"$dir/etc/systemd/system/$1.d/tsync-lab.conf"
}
dropin chrony.service <<'EOF'
[Unit]
ConditionCapability=

[Service]
ExecStart=
ExecStart=!/usr/sbin/chronyd $DAEMON_OPTS -x
EOF
if [ "$ntp_pkg" = ntpsec ]; then
  dropin ntpsec.service <<'EOF'
[Unit]
ConditionCapability=

[Service]
ExecStart=
ExecStart=/usr/sbin/ntpd -p /run/ntpd.pid -c /etc/ntpsec/ntp.conf -g
EOF
else
  # classic ntp: its wrapper drops to user ntp with -u, which needs CAP_SYS_TIME; run as root.
  # Its unit is Type=forking without a PIDFile, so systemd guesses the main PID from the cgroup;
  # systemd 247 in this machine's hybrid cgroup layout sometimes cannot read it ("Failed to kill
  # control group ... Input/output error"), stops nothing and the next ntpd cannot bind port 123.
  # In the foreground (-n) the main PID is known and a restart stops the old daemon.
  dropin ntp.service <<'EOF'
[Service]
Type=simple
ExecStart=
ExecStart=/usr/sbin/ntpd -n -p /run/ntpd.pid -g
EOF
fi
# systemd-timesyncd skips containers and needs CAP_SYS_TIME: let it run (as its own user,
# without capabilities) so that a host can start the way cloud images do; it cannot set the clock
dropin systemd-timesyncd.service <<'EOF'
[Unit]
ConditionCapability=
ConditionVirtualization=

[Service]
AmbientCapabilities=
CapabilityBoundingSet=
EOF

# Users: deploy (passwordless sudo), ops (sudo with password ops-lab-pw).
chroot "$dir" useradd -m -s /bin/bash deploy
chroot "$dir" useradd -m -s /bin/bash ops
chroot "$dir" usermod -p '*' deploy
echo 'ops:ops-lab-pw' | chroot "$dir" chpasswd
echo 'deploy ALL=(ALL:ALL) NOPASSWD: ALL' >"$dir/etc/sudoers.d/deploy"
echo 'ops ALL=(ALL:ALL) ALL' >"$dir/etc/sudoers.d/ops"
chmod 0440 "$dir/etc/sudoers.d/deploy" "$dir/etc/sudoers.d/ops"
for u in root deploy ops; do
  h=$([ $u = root ] && echo /root || echo /home/$u)
  install -d -m 0700 "$dir$h/.ssh"
  chroot "$dir" chown "$u:$u" "$h/.ssh"
done

# Per-host identity is written before each boot.
: >"$dir/etc/machine-id"
rm -f "$dir/var/lib/dbus/machine-id"
echo localhost >"$dir/etc/hostname"

# Fewer things to do at boot in a container.
ln -sf /dev/null "$dir/etc/systemd/system/systemd-networkd-wait-online.service"
ln -sf /dev/null "$dir/etc/systemd/system/apt-daily.timer"
ln -sf /dev/null "$dir/etc/systemd/system/apt-daily-upgrade.timer"

rm -f "$dir.debootstrap.log" "$dir.apt.log"
