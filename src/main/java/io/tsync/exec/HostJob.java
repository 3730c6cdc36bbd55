package io.tsync.exec;

import io.tsync.model.Host;
import io.tsync.plan.Desired;
import java.util.List;

/** One host and, in play order, the desired states the playbook's plays give it (validated offline). */
public record HostJob(Host host, List<Desired> targets) {
    public HostJob {
        targets = List.copyOf(targets);
    }
}
