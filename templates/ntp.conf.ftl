<#-- ntpd / ntpsec configuration rendered by tsync. Every value here was validated before rendering. -->
# Managed by tsync: do not edit by hand; changes are overwritten by the next apply.
driftfile ${driftfile}

<#list servers as s>
${s.pool?then("pool", "server")} ${s.host}<#if s.iburst> iburst</#if><#if s.prefer> prefer</#if><#if s.minpoll??> minpoll ${s.minpoll}</#if><#if s.maxpoll??> maxpoll ${s.maxpoll}</#if>
</#list>

# By default, exchange time with everybody, but do not allow configuration.
restrict default kod nomodify nopeer noquery limited
restrict 127.0.0.1
restrict ::1
<#list allow as a>
restrict ${a.address}<#if a.mask?has_content> mask ${a.mask}</#if> kod nomodify notrap nopeer
</#list>
