export LC_ALL=C
PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; export PATH
T=; if timeout 5 true >/dev/null 2>&1; then T="timeout 10"; fi
r=0; nl="
"
run() { n="$1"; shift; echo "@section $n"; if command -v "$1" >/dev/null 2>&1; then o=$( { $T "$@" 2>&1; printf "\n@rc %s\n" "$?"; } | head -c 262144 ); l=$(printf %s "$o" | tail -n 1); r=${l#@rc }; case "$l" in "@rc "*) o=${o%"$l"}; o=${o%"$nl"}; o=${o%"$nl"};; *) r=;; esac; case "$r" in ""|*[!0-9]*) r=-1; o=;; esac; if [ -n "$o" ]; then printf "%s\n" "$o"; fi; else r=127; fi; echo "@exit $n $r"; }
echo "@tsync-status 1"
run date date +%Y-%m-%dT%H:%M:%S%z
echo "@section tz"
echo "link=$(readlink /etc/localtime 2>/dev/null)"
echo "file=$(head -n 1 /etc/timezone 2>/dev/null)"
echo "@exit tz 0"
run systemctl systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState,ConditionResult chrony.service chronyd.service ntp.service ntpd.service ntpsec.service systemd-timesyncd.service
run chronyc-sources chronyc -c -n sources
c=$r
run chronyc-tracking chronyc -c -n tracking
if [ "$c" = 0 ]; then run chronyc-authdata chronyc -c -N authdata; if printf "%s\n" "$o" | grep -q "^[^,]*,NTS,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,0,"; then run nts-log sh -c "i=\$(systemctl show -p InvocationID --value chrony chronyd 2>/dev/null | grep -m 1 .); [ -n \"\$i\" ] && journalctl -q \"_SYSTEMD_INVOCATION_ID=\$i\" --no-pager -o cat 2>/dev/null | grep -E \"NTS|TLS|certificate\" | tail -n 2"; fi; fi
if [ "$c" != 0 ]; then run ntpq-peers ntpq -pn; run ntpq-rv ntpq -n -c rv; fi
if [ "$c" != 0 ] && systemctl is-active -q systemd-timesyncd 2>/dev/null; then run timesync-show timedatectl show-timesync; run timesync-status timedatectl timesync-status; run timesync-kernel timedatectl show -p NTPSynchronized --value; fi
echo @end
