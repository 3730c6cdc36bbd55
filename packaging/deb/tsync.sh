#!/bin/sh
# tsync (Debian package): runs /usr/share/tsync/tsync.jar on the system's Java runtime
# (/usr/bin/java, Java 17 or later). TSYNC_JAVA_OPTS adds JVM options.
# shellcheck disable=SC2086
exec /usr/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:-UsePerfData ${TSYNC_JAVA_OPTS:-} \
  -jar /usr/share/tsync/tsync.jar "$@"
