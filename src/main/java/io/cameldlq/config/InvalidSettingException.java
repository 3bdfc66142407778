package io.cameldlq.config;

/** A configuration value that camel-dlq cannot start with; the message names the key and the value. */
public class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;

    public InvalidSettingException(String key, String value, String requirement) {
        super("Invalid value '" + value + "' for " + key + ": " + requirement);
        this.key = key;
        this.value = value;
    }

    public InvalidSettingException(String message) {
        super(message);
        this.key = null;
        this.value = null;
    }

    /** Returns the key of the invalid value, or null when the problem is not one key's value. */
    public String key() {
        return key;
    }

    /** Returns the invalid value, or null when the problem is not one key's value. */
    public String value() {
        return value;
    }
}
