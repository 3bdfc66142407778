package io.cameldlq.config;

/** A configuration value that camel-dlq cannot start with; the message names the key and the value. */
public class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String key, String value, String requirement) {
        super("Invalid value '" + value + "' for " + key + ": " + requirement);
    }

    public InvalidSettingException(String message) {
        super(message);
    }
}
