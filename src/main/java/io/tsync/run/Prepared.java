package io.tsync.run;

import io.tsync.exec.HostJob;
import io.tsync.load.Problem;
import io.tsync.model.Inventory;
import java.util.List;

/**
 * A run's input, loaded and checked: the inventory and, per selected host, its desired states; and
 * what validate and apply warn about (leap smearing, keys not readable here).
 */
public record Prepared(Inventory inventory, List<HostJob> jobs, List<Problem> warnings) {}
