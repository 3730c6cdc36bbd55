package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ansible_ssh_common_args / ansible_ssh_extra_args read as Ansible hands them to ssh. */
class SshArgsTest {
    @Test
    void splitsAsAShellWould() {
        assertEquals(List.of("-o", "ProxyCommand=ssh -W %h:%p -q jump@bastion"), SshArgs.split("-o ProxyCommand=\"ssh -W %h:%p -q jump@bastion\""));
        assertEquals(List.of("-o", "ProxyCommand=nc -X connect -x proxy:3128 %h %p"), SshArgs.split("-o 'ProxyCommand=nc -X connect -x proxy:3128 %h %p'"));
        assertEquals(List.of("a b", "c\"d", "e"), SshArgs.split("a\\ b \"c\\\"d\"   e "));
        assertThrows(IllegalArgumentException.class, () -> SshArgs.split("-o 'ProxyCommand=nc %h"));
    }

    @Test
    void namesEachOptionByItsSshConfigKeyword() {
        List<SshArgs.Option> o = SshArgs.parse("-C -vvv -o ControlMaster=auto -oStrictHostKeyChecking=no -J hop1,hop2 -p2222 -b 10.0.0.1 -4 "
                + "-o \"ProxyCommand ssh -W %h:%p bastion\" -o \"ProxyUseFdpass = yes\"");
        assertEquals(List.of("ControlMaster", "StrictHostKeyChecking", "ProxyJump", "Port", "BindAddress", "AddressFamily", "ProxyCommand", "ProxyUseFdpass"),
                o.stream().map(SshArgs.Option::keyword).toList());
        assertEquals(List.of("auto", "no", "hop1,hop2", "2222", "10.0.0.1", "inet", "ssh -W %h:%p bastion", "yes"),
                o.stream().map(SshArgs.Option::value).toList());
        assertEquals("-J hop1,hop2", o.get(2).written());
        assertEquals("-p2222", o.get(3).written());
    }
}
