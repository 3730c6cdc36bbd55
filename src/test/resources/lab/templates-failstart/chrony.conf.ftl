# A template that parses (chronyd -p accepts it) but makes chronyd exit at start:
# its pid file lives in a directory that does not exist.
<#list servers as s>
server ${s.host} iburst
</#list>
driftfile ${driftfile}
pidfile /nonexistent-dir/chronyd.pid
