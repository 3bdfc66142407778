package io.cameldlq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import io.cameldlq.task.InvalidTaskException;

class RetryPolicyTest {

    @Test
    void defaultsAreTwoRetriesOneSecondApart() {
        RetryPolicy policy = load(new Properties());

        assertEquals(2, policy.maximumRedeliveries());
        assertEquals(3, policy.maximumAttempts());
        assertEquals(1000, policy.delayBeforeRetry(1));
        assertEquals(1000, policy.delayBeforeRetry(2));
        assertTrue(policy.notRetryable().isEmpty());
    }

    @Test
    void backoffGrowsUpToMaximum() {
        Properties properties = new Properties();
        properties.put("redelivery.delay-ms", "100");
        properties.put("redelivery.backoff-multiplier", "3");
        properties.put("redelivery.maximum-delay-ms", "500");
        RetryPolicy policy = load(properties);

        assertEquals(100, policy.delayBeforeRetry(1));
        assertEquals(300, policy.delayBeforeRetry(2));
        assertEquals(500, policy.delayBeforeRetry(3));
    }

    @Test
    void jitterStaysWithinFraction() {
        Properties properties = new Properties();
        properties.put("redelivery.delay-ms", "1000");
        properties.put("redelivery.jitter", "0.2");
        RetryPolicy policy = load(properties);

        assertEquals(800, policy.shortestPauseMs());
        for (int i = 0; i < 1000; i++) {
            long delay = policy.delayBeforeRetry(1);
            assertTrue(delay >= policy.shortestPauseMs(), "delay " + delay);
            assertTrue(delay <= 1200, "delay " + delay);
        }
    }

    @Test
    void notRetryableMatchesCauses() {
        Properties properties = new Properties();
        properties.put(RetryPolicy.NOT_RETRYABLE_KEY,
                " io.cameldlq.task.InvalidTaskException , java.io.UncheckedIOException");
        RetryPolicy policy = load(properties);

        assertEquals(List.of(InvalidTaskException.class, UncheckedIOException.class), policy.notRetryable());
        assertTrue(policy.isNotRetryable(new InvalidTaskException("bad")));
        assertTrue(policy.isNotRetryable(new IllegalStateException(new InvalidTaskException("bad"))));
        assertFalse(policy.isNotRetryable(new IllegalStateException("transient")));
        assertFalse(policy.isNotRetryable(null));
    }

    @Test
    void invalidValuesNameTheKey() {
        assertInvalid("redelivery.delay-ms", "-1");
        assertInvalid("redelivery.maximum-redeliveries", "two");
        assertInvalid("redelivery.backoff-multiplier", "0.5");
        assertInvalid("redelivery.jitter", "1.5");
        assertInvalid("redelivery.jitter", "NaN");
        assertInvalid(RetryPolicy.NOT_RETRYABLE_KEY, "com.example.NoSuchException");
        assertInvalid(RetryPolicy.NOT_RETRYABLE_KEY, "java.lang.String");
    }

    @Test
    void maximumDelayBelowDelayNamesBoth() {
        Properties properties = new Properties();
        properties.put("redelivery.delay-ms", "90000");
        properties.put("redelivery.maximum-delay-ms", "60000");

        InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> load(properties));

        assertEquals("Invalid value '60000' for redelivery.maximum-delay-ms: must be at least "
                + "redelivery.delay-ms, 90000; raise it or lower redelivery.delay-ms", error.getMessage());
    }

    @Test
    void maximumDelayDefaultFollowsLongerDelay() {
        Properties properties = new Properties();
        properties.put("redelivery.delay-ms", "90000");

        assertEquals(90_000, load(properties).maximumDelayMs());
    }

    private static void assertInvalid(String key, String value) {
        Properties properties = new Properties();
        properties.put(key, value);
        InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> load(properties));
        assertTrue(error.getMessage().contains(key), error.getMessage());
        assertTrue(error.getMessage().contains(value.trim()), error.getMessage());
    }

    private static RetryPolicy load(Properties properties) {
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            context.getPropertiesComponent().setInitialProperties(properties);
            return RetryPolicy.load(context);
        } finally {
            context.stop();
        }
    }
}
