# NTS for the lab (sourced by lab/nts, after lib.sh): a lab CA, a server certificate and a fourth
# chronyd in the lab namespace serving NTP and NTS-KE (tcp/4460) with it.
# shellcheck shell=bash

NTS_IP=$SUBNET.5
NTS_NAME=nts.lab.test          # .test is reserved (RFC 2606): it never resolves outside the lab
NTS_DIR=$STATE/nts

# The certificate of CA NAME (default "lab"), created once per instance: NTS_DIR/NAME-ca.pem.
# Another NAME is another CA, for tests of a host that trusts the wrong one.
nts_ca() {
  local name=${1:-lab} d=$NTS_DIR
  [[ $name =~ ^[a-z][a-z0-9]{0,15}$ ]] || die "bad CA name '$name' (want [a-z][a-z0-9]*)"
  command -v openssl >/dev/null || die "missing openssl (apt-get install openssl)"
  mkdir -p "$d"
  if [ ! -s "$d/$name-ca.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -subj "/CN=tsync lab CA $name ($LAB_NAME)" -keyout "$d/$name-ca.key" -out "$d/$name-ca.pem.tmp" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>"$d/openssl.log" \
      || die "openssl could not make CA $name (log: $d/openssl.log)"
    mv -f "$d/$name-ca.pem.tmp" "$d/$name-ca.pem"
  fi
  echo "$d/$name-ca.pem"
}

# The server's key and certificate (for NTS_NAME and NTS_IP), signed by the lab CA; made once.
nts_server_cert() {
  local d=$NTS_DIR
  nts_ca lab >/dev/null
  [ -s "$d/server.pem" ] && return 0
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$NTS_NAME" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>"$d/openssl.log" || die "openssl: server key (log: $d/openssl.log)"
  printf 'subjectAltName=DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$NTS_NAME" "$NTS_IP" >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/lab-ca.pem" -CAkey "$d/lab-ca.key" -CAcreateserial -days 3650 \
    -extfile "$d/server.ext" -out "$d/server.pem.tmp" 2>"$d/openssl.log" || die "openssl: server certificate (log: $d/openssl.log)"
  mv -f "$d/server.pem.tmp" "$d/server.pem"
}

nts_running() {
  local pid
  pid=$(cat "$NTS_DIR/chronyd.pid" 2>/dev/null) || return 1
  pid_is "$pid" chronyd && tr '\0' ' ' </proc/$pid/cmdline | grep -qF "$NTS_DIR/chronyd.conf"
}

nts_start() {
  local j
  nts_server_cert
  ip -n $LAB_NS addr replace "$NTS_IP/24" dev $BRIDGE
  if ! nts_running; then
    mkdir -p "$NTS_DIR/dump"
    cat >"$NTS_DIR/chronyd.conf" <<CONF
# tsync lab NTS upstream $NTS_NAME ($NTS_IP): NTP on udp/123, NTS-KE on tcp/4460
port 123
bindaddress $NTS_IP
cmdport 0
bindcmdaddress /
allow $SUBNET.0/24
local stratum 8
ntsserverkey $NTS_DIR/server.key
ntsservercert $NTS_DIR/server.pem
ntsdumpdir $NTS_DIR/dump
pidfile $NTS_DIR/chronyd.pid
CONF
    rm -f "$NTS_DIR/chronyd.pid"
    ip netns exec $LAB_NS chronyd -x -u root -f "$NTS_DIR/chronyd.conf" -l "$NTS_DIR/chronyd.log" 8>&- 9>&- \
      || die "chronyd for the NTS upstream failed to start (log: $NTS_DIR/chronyd.log)"
    for ((j = 0; j < 50; j++)); do nts_running && break; sleep 0.1; done
    nts_running || die "the NTS upstream's chronyd did not write its pid file (log: $NTS_DIR/chronyd.log)"
  fi
  nts_hosts_entry
}

# Every host of the instance resolves NTS_NAME (written into its /etc/hosts through the overlay).
nts_hosts_entry() {
  local h f
  for h in $(known_hosts_list); do
    f=$(host_dir "$h")/root/etc/hosts
    [ -f "$f" ] && is_mounted "$(host_dir "$h")/root" || continue
    grep -qF " $NTS_NAME" "$f" || printf '%s %s\n' "$NTS_IP" "$NTS_NAME" >>"$f"
  done
}

nts_stop() {
  nts_running && stop_pid "$(cat "$NTS_DIR/chronyd.pid")" chronyd 5
  rm -f "$NTS_DIR/chronyd.pid"
}
