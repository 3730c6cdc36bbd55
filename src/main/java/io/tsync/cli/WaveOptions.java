package io.tsync.cli;

import io.tsync.load.InvalidInputException;
import io.tsync.load.PlaybookLoader;
import io.tsync.load.Problem;
import io.tsync.model.Rollout;
import io.tsync.model.Serial;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** apply's staged rollout options; each wins over the playbook's key of the same meaning. */
final class WaveOptions {
    @Option(names = "--serial", paramLabel = "SIZES",
            description = "Waves, each synced before the next: 5, 20%% or 1,10%%,50%% (last repeats)")
    String serial;

    @Option(names = "--max-fail-percentage", paramLabel = "PCT",
            description = "Stop when more than PCT %% of a wave failed or did not sync (default 0)")
    Integer maxFailPercentage;

    @Option(names = "--wave-timeout", defaultValue = "60s", paramLabel = "TIME", converter = ApplyCommand.DurationConverter.class,
            description = "Each wave waits this long for its changed hosts to sync (default ${DEFAULT-VALUE})")
    Duration waveTimeout;

    @Option(names = "--rollback-unsynced",
            description = "A stopped wave's unsynced hosts get their previous config back")
    boolean rollbackUnsynced;

    /** The run's rollout: the playbook's keys, overridden by the options given; every value checked, no host contacted. */
    Rollout resolve(Path playbook) throws InvalidInputException {
        List<Problem> problems = new ArrayList<>();
        Serial s = null;
        if (serial != null) {
            try {
                s = new Serial(Arrays.stream(serial.split(",", -1)).map(Serial::parseSize).toList());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("--serial", 0, 0, "--serial " + serial + ": " + e.getMessage(),
                        "give wave sizes separated by commas: --serial 5, --serial 20% or --serial 1,10%,50%"));
            }
        }
        if (maxFailPercentage != null && (maxFailPercentage < 0 || maxFailPercentage > 100)) {
            problems.add(new Problem("--max-fail-percentage", 0, 0, "--max-fail-percentage " + maxFailPercentage + " is out of range",
                    "use a whole number from 0 (any failed host stops the rollout) to 100"));
        }
        if (waveTimeout.isZero()) {
            problems.add(new Problem("--wave-timeout", 0, 0, "--wave-timeout 0 leaves no time to sync", "give a duration like 60s or 2m"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Rollout cli = new Rollout(s, maxFailPercentage, rollbackUnsynced ? Boolean.TRUE : null, null);
        return PlaybookLoader.rollout(PlaybookLoader.load(playbook)).overriddenBy(cli);
    }
}
