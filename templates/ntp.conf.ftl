<#-- ntpd / ntpsec configuration rendered by tsync. Every value here was validated before rendering. -->
# Managed by tsync: do not edit by hand; changes are overwritten by the next apply.
driftfile ${driftfile}
<#if leap?has_content>
${leap}
</#if>
<#if keyfile?has_content>

# Symmetric keys for authenticated sources and clients.
keys ${keyfile}
<#if key_ids?has_content>
trustedkey<#list key_ids as k> ${k}</#list>
</#if>
</#if>

<#list servers as s>
${s.kind} ${s.host}<#if s.iburst> iburst</#if><#if s.prefer> prefer</#if><#if s.minpoll??> minpoll ${s.minpoll}</#if><#if s.maxpoll??> maxpoll ${s.maxpoll}</#if><#if s.key??> key ${s.key}</#if><#if s.trust> true</#if><#if s.xleave> xleave</#if>
</#list>
<#if minsources?? || maxdistance?? || local??>

# Source selection limits<#if local??> and orphan mode (serve this host's clock when no source is reachable)</#if>.
<#if minsources??>
tos minsane ${minsources}
</#if>
<#if maxdistance??>
tos maxdist ${maxdistance}
</#if>
<#if local??>
tos orphan ${local.stratum}
</#if>
</#if>
<#if bindaddress?has_content>

# Listen on these addresses only.
interface ignore wildcard
<#list bindaddress as b>
interface listen ${b}
</#list>
</#if>

# By default, exchange time with everybody, but do not allow configuration.
restrict default kod nomodify nopeer noquery limited
restrict 127.0.0.1
restrict ::1
<#list allow as a>
restrict ${a.address}<#if a.mask?has_content> mask ${a.mask}</#if> kod nomodify notrap nopeer
</#list>
<#list deny as d>
restrict ${d.address}<#if d.mask?has_content> mask ${d.mask}</#if> ignore
</#list>
<#if extra?has_content>

# Added verbatim from the playbook's 'extra'.
<#list extra as line>
${line}
</#list>
</#if>
