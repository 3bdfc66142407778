package io.cameldlq.config;

/** A configuration value that camel-dlq cannot start with; the message names the key and the value. */
public class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public InvalidSettingException(String key, String value, String requirement) {
        super("Invalid value '" + value + "' for " + key + ": " + requirement);
        this.key = key;
    }

    public InvalidSettingException(String message) {
        super(message);
        this.key = null;
    }

    /** Returns the key of the invalid value, or null when the problem is not one key's value. */
    public String key() {
        return key;
    }
}
