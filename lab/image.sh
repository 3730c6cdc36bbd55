#!/bin/bash
# Builds the lab's base image (a bootable Debian 12 tree) into DIR.
# Called by lab/lib.sh as `image.sh DIR`; the cache key is the sha256 of this
# file, so any change here rebuilds the image.
set -euo pipefail

dir=${1:?usage: image.sh DIR}
mirror=${LAB_MIRROR:-http://deb.debian.org/debian}

debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,dbus,openssh-server,sudo,python3,iproute2,procps,tzdata \
  bookworm "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 || {
  echo "lab: debootstrap failed, last lines of $dir.debootstrap.log:" >&2
  tail -n 20 "$dir.debootstrap.log" >&2
  exit 1
}

cat >"$dir/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
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
  chroot "$dir" apt-get -q clean   # drop debootstrap'"'"'s own .debs; keep only the offline set
  # chrony and ntpsec conflict: download each on its own.
  chroot "$dir" apt-get -q install -y --download-only chrony
  chroot "$dir" apt-get -q install -y --download-only ntpsec
' _ "$dir" >"$dir.apt.log" 2>&1 || {
  echo "lab: apt steps in the image failed, last lines of $dir.apt.log:" >&2
  tail -n 20 "$dir.apt.log" >&2
  exit 1
}
ls "$dir"/var/cache/apt/archives/chrony_*.deb "$dir"/var/cache/apt/archives/ntpsec_*.deb >/dev/null

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
# control the clock, keep running as root.
mkdir -p "$dir/etc/systemd/system/chrony.service.d" "$dir/etc/systemd/system/ntpsec.service.d"
cat >"$dir/etc/systemd/system/chrony.service.d/tsync-lab.conf" <<'EOF'
[Unit]
ConditionCapability=

[Service]
ExecStart=
ExecStart=!/usr/sbin/chronyd $DAEMON_OPTS -x
EOF
cat >"$dir/etc/systemd/system/ntpsec.service.d/tsync-lab.conf" <<'EOF'
[Unit]
ConditionCapability=

[Service]
ExecStart=
ExecStart=/usr/sbin/ntpd -p /run/ntpd.pid -c /etc/ntpsec/ntp.conf -g
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
