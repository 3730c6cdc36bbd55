<#-- systemd-timesyncd drop-in rendered by tsync. Every value here was validated before rendering. -->
# Managed by tsync: do not edit by hand; changes are overwritten by the next apply.
[Time]
NTP=<#list servers as s>${s.host}<#sep> </#sep></#list>
<#if fallback?has_content>
FallbackNTP=<#list fallback as f>${f}<#sep> </#sep></#list>
</#if>
<#if poll_min??>
PollIntervalMinSec=${poll_min}
</#if>
<#if poll_max??>
PollIntervalMaxSec=${poll_max}
</#if>
<#if maxdistance??>
RootDistanceMaxSec=${maxdistance}
</#if>
<#list extra as line>
${line}
</#list>
