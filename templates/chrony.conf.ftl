<#-- chrony configuration rendered by tsync. Every value here was validated before rendering. -->
# Managed by tsync: do not edit by hand; changes are overwritten by the next apply.
<#list servers as s>
${s.kind} ${s.host}<#if s.iburst> iburst</#if><#if s.prefer> prefer</#if><#if s.nts> nts</#if><#if s.minpoll??> minpoll ${s.minpoll}</#if><#if s.maxpoll??> maxpoll ${s.maxpoll}</#if><#if s.maxsources??> maxsources ${s.maxsources}</#if><#if s.key??> key ${s.key}</#if><#if s.trust> trust</#if><#if s.require> require</#if><#if s.xleave> xleave</#if>
</#list>
<#list refclocks as r>
refclock PHC ${r.device}<#if r.poll??> poll ${r.poll}</#if><#if r.dpoll??> dpoll ${r.dpoll}</#if><#if r.offset??> offset ${r.offset}</#if><#if r.prefer> prefer</#if>
</#list>
<#if dhcp_sourcedir?has_content>

# Also use the NTP servers DHCP hands out (left here by the distribution's DHCP hooks).
sourcedir ${dhcp_sourcedir}
</#if>

# Record the rate at which the system clock gains/loses time.
driftfile ${driftfile}

# Step the clock if its offset is larger than ${makestep.threshold} seconds in the first ${makestep.limit} updates.
makestep ${makestep.threshold} ${makestep.limit}
<#if rtcsync>

# Copy system time to the hardware clock periodically (off on virtual servers).
rtcsync
</#if>
<#if minsources?? || maxdistance?? || maxchange??>

# Source selection limits.
<#if minsources??>
minsources ${minsources}
</#if>
<#if maxdistance??>
maxdistance ${maxdistance}
</#if>
<#if maxchange??>
maxchange ${maxchange.offset} ${maxchange.start} ${maxchange.ignore}
</#if>
</#if>
<#if keyfile?has_content>

# Symmetric keys for authenticated sources and clients.
keyfile ${keyfile}
</#if>
<#if authselectmode?has_content>
authselectmode ${authselectmode}
</#if>
<#if leap?has_content>

# Where the leap seconds come from.
${leap}
</#if>
<#if leapsecmode?has_content || maxslewrate?? || smoothtime??>

# Leap second handling.
<#if leapsecmode?has_content>
leapsecmode ${leapsecmode}
</#if>
<#if maxslewrate??>
maxslewrate ${maxslewrate}
</#if>
<#if smoothtime??>
smoothtime ${smoothtime.max_freq} ${smoothtime.max_wander}<#if smoothtime.leaponly> leaponly</#if>
</#if>
</#if>
<#if ntsdumpdir?has_content>

ntsdumpdir ${ntsdumpdir}
</#if>
<#if ntstrustedcerts?has_content>

# Trust these certificate authorities for NTS, besides the system's (the playbook's nts_trusted_certs).
ntstrustedcerts ${ntstrustedcerts}
</#if>
<#if allow?has_content || deny?has_content>

# Serve time to these clients.
<#list allow as a>
allow ${a.network}
</#list>
<#list deny as d>
deny ${d.network}
</#list>
</#if>
<#if bindaddress?has_content>

# Answer NTP on these addresses only.
<#list bindaddress as b>
bindaddress ${b}
</#list>
</#if>
<#if local??>

# Serve this host's own clock when no source is reachable<#if local.orphan> (orphan: the servers agree on one)</#if>.
local stratum ${local.stratum}<#if local.orphan> orphan</#if><#if local.distance??> distance ${local.distance}</#if>
</#if>
<#if cmdport??>

<#if cmdport == 0>
# No command port on the network: chronyc works through the local socket only.
</#if>
cmdport ${cmdport}
</#if>

logdir /var/log/chrony
<#if extra?has_content>

# Added verbatim from the playbook's 'extra'.
<#list extra as line>
${line}
</#list>
</#if>
