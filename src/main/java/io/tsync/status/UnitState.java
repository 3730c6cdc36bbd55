package io.tsync.status;

/**
 * The state of one systemd unit, from {@code systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState,
 * ConditionResult}. Empty strings where systemctl printed nothing.
 *
 * @param requested the unit name asked for, e.g. {@code chronyd.service}
 * @param id the unit's canonical name (differs from {@code requested} for an alias)
 * @param loadState {@code loaded}, {@code not-found}, {@code masked}, ...
 * @param activeState {@code active}, {@code inactive}, {@code failed}, {@code activating}, ...
 * @param subState {@code running}, {@code dead}, {@code failed}, ...
 * @param unitFileState {@code enabled}, {@code disabled}, {@code masked}, {@code static}, {@code alias}, ...
 * @param conditionResult {@code yes} or {@code no}: whether the unit's start conditions held last time
 */
public record UnitState(String requested, String id, String loadState, String activeState, String subState,
        String unitFileState, String conditionResult) {

    /** Whether systemd knows the unit (it is installed). */
    public boolean loaded() {
        return "loaded".equals(loadState);
    }

    /** Whether the unit is active (running). */
    public boolean active() {
        return "active".equals(activeState);
    }

    /**
     * Whether the unit is enabled to start at boot: {@code true} for enabled/linked/static/generated/alias states,
     * {@code false} for disabled/masked/indirect, {@code null} when unknown.
     */
    public Boolean enabled() {
        String s = unitFileState == null ? "" : unitFileState;
        if (s.startsWith("enabled") || s.startsWith("linked") || s.equals("static") || s.equals("generated")
                || s.equals("alias") || s.equals("transient")) {
            return true;
        }
        if (s.equals("disabled") || s.startsWith("masked") || s.equals("indirect") || s.equals("bad")) {
            return false;
        }
        return null;
    }

    /** e.g. {@code chrony.service failed (failed)}. */
    public String describe() {
        return id + " " + activeState + (subState.isEmpty() || subState.equals(activeState) ? "" : " (" + subState + ")");
    }
}
