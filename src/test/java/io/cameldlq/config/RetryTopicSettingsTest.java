package io.cameldlq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryTopicSettingsTest {

    private CamelContext context;
    private final Properties properties = new Properties();

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void defaultsAreBlockingWithDerivedNames() {
        RetryTopicSettings settings = load();

        assertEquals(RedeliveryMode.BLOCKING, settings.mode());
        assertFalse(settings.nonBlocking());
        assertEquals("task-processing-retry", settings.retryTopic());
        assertEquals("task-processing-retry", settings.retryGroupId());
    }

    @Test
    void namesFollowTaskTopicAndGroup() {
        properties.setProperty("redelivery.mode", " Non-Blocking ");
        properties.setProperty("task-processing.topic", "tasks");
        properties.setProperty("task-processing.group-id", "workers");

        RetryTopicSettings settings = load();

        assertTrue(settings.nonBlocking());
        assertEquals("tasks-retry", settings.retryTopic());
        assertEquals("workers-retry", settings.retryGroupId());
    }

    @Test
    void publishLingerDefaultsTo50Ms() {
        assertEquals(50, load().publishLingerMs());

        properties.setProperty("redelivery.publish-linger-ms", " 0 ");
        assertEquals(0, load().publishLingerMs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1001", "50ms", ""})
    void invalidPublishLingerNamesKey(String value) {
        properties.setProperty("redelivery.publish-linger-ms", value);

        InvalidSettingException error = assertThrows(InvalidSettingException.class, this::load);

        assertTrue(error.getMessage().contains("redelivery.publish-linger-ms"), error.getMessage());
    }

    @Test
    void configuredRetryTopicIsUsed() {
        properties.setProperty("redelivery.retry-topic", "later");

        assertEquals("later", load().retryTopic());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonblocking", "async", "", "blocking,non-blocking"})
    void invalidModeNamesKey(String value) {
        properties.setProperty("redelivery.mode", value);

        InvalidSettingException error = assertThrows(InvalidSettingException.class, this::load);

        assertTrue(error.getMessage().contains("redelivery.mode"), error.getMessage());
        assertTrue(error.getMessage().contains("'" + value + "'"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"task-processing", "dead-letter-task-processing"})
    void retryTopicMustBeItsOwn(String topic) {
        properties.setProperty("redelivery.retry-topic", topic);

        InvalidSettingException error = assertThrows(InvalidSettingException.class, this::load);

        assertTrue(error.getMessage().contains("redelivery.retry-topic"), error.getMessage());
    }

    private RetryTopicSettings load() {
        context.getPropertiesComponent().setInitialProperties(properties);
        return RetryTopicSettings.load(context);
    }
}
