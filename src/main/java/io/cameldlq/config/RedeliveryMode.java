package io.cameldlq.config;

import java.util.Locale;

/**
 * The place where the retries of a failed record run, chosen by {@value #KEY}.
 *
 * <ul>
 *   <li>{@code blocking}: on the consumer thread, so the record holds its partition until it was processed
 *       or dead-lettered, and the records of a partition keep their order.</li>
 *   <li>{@code non-blocking}: through the retry topic, so the partition moves on at once and the record is
 *       attempted again after records that came behind it.</li>
 * </ul>
 */
public enum RedeliveryMode {

    BLOCKING("blocking"),
    NON_BLOCKING("non-blocking");

    public static final String KEY = "redelivery.mode";

    private final String propertyValue;

    RedeliveryMode(String propertyValue) {
        this.propertyValue = propertyValue;
    }

    /** Returns the mode that {@code value} of {@value #KEY} names, ignoring case and surrounding blanks. */
    public static RedeliveryMode of(String value) {
        String requested = value.trim().toLowerCase(Locale.ROOT);
        for (RedeliveryMode mode : values()) {
            if (mode.propertyValue.equals(requested)) {
                return mode;
            }
        }
        throw new InvalidSettingException(KEY, value, "must be blocking or non-blocking");
    }

    /** Returns the value of {@value #KEY} that selects this mode. */
    public String propertyValue() {
        return propertyValue;
    }
}
