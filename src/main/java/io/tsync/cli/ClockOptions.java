package io.tsync.cli;

import io.tsync.clock.ClockPolicy;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The measured-clock options of status and apply --wait: how far off a host's clock may be, and against what. */
final class ClockOptions {
    @Option(names = "--max-offset", defaultValue = "100ms", paramLabel = "DUR", converter = BoundConverter.class,
            description = "Measured clock off by more: 'clock wrong' (default ${DEFAULT-VALUE}; 0: off)")
    Duration maxOffset = ClockPolicy.DEFAULT_MAX_OFFSET;

    @Option(names = "--reference", paramLabel = "NTP", description = "State measured offsets against this NTP server, not this machine")
    String reference;

    /** "100ms", "2s", "0"; see {@link ClockPolicy#parseBound}. */
    static final class BoundConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return ClockPolicy.parseBound(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    ClockPolicy policy(Duration maxSpread) {
        return new ClockPolicy(maxOffset, maxSpread == null ? Duration.ZERO : maxSpread, reference);
    }
}
