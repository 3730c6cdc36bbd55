# A template that renders a directive chronyd does not know: chronyd -p -f must reject it.
<#list servers as s>
server ${s.host} iburst
</#list>
driftfile ${driftfile}
bogus_directive_from_a_broken_template 1
