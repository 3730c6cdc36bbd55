<#-- chrony configuration rendered by tsync. Every value here was validated before rendering. -->
# Managed by tsync: do not edit by hand; changes are overwritten by the next apply.
<#list servers as s>
${s.pool?then("pool", "server")} ${s.host}<#if s.iburst> iburst</#if><#if s.prefer> prefer</#if><#if s.nts> nts</#if><#if s.minpoll??> minpoll ${s.minpoll}</#if><#if s.maxpoll??> maxpoll ${s.maxpoll}</#if>
</#list>

# Record the rate at which the system clock gains/loses time.
driftfile ${driftfile}

# Step the clock if its offset is larger than ${makestep.threshold} seconds in the first ${makestep.limit} updates.
makestep ${makestep.threshold} ${makestep.limit}
<#if rtcsync>

# Copy system time to the hardware clock periodically (off on virtual servers).
rtcsync
</#if>
<#if nts>

ntsdumpdir /var/lib/chrony
</#if>
<#if allow?has_content>

# Serve time to these clients.
<#list allow as a>
allow ${a.network}
</#list>
</#if>

logdir /var/log/chrony
