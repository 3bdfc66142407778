package io.cameldlq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineSettingsTest {

    private CamelContext context;
    private final Properties initial = new Properties();
    private final Properties overrides = new Properties();

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void missingKeysUseDefaults() {
        PipelineSettings settings = load();

        assertEquals("task-processing", settings.sourceTopic());
        assertEquals("task-processing", settings.sourceGroupId());
        assertEquals(1, settings.consumers());
        assertEquals(LoggingLevel.DEBUG, settings.processedLogLevel());
        assertEquals("dead-letter-task-processing", settings.deadLetterTopic());
        assertEquals(2, settings.maximumRedeliveries());
        assertEquals(1000L, settings.redeliveryDelayMs());
        assertEquals(10_000, settings.deadLetterPublishTimeoutMs());
        assertEquals("dead-letter-log", settings.logGroupId());
        assertTrue(settings.provisionTopics());
        assertEquals(3, settings.partitions());
        assertEquals((short) 1, settings.replicationFactor());
        assertEquals(30_000, settings.brokerTimeoutMs());
    }

    @Test
    void configuredValuesAreRead() {
        initial.setProperty("task-processing.topic", "tasks");
        initial.setProperty("task-processing.group-id", "task-group");
        initial.setProperty("task-processing.consumers", "3");
        initial.setProperty("task-processing.processed-log-level", "INFO");
        initial.setProperty("dead-letter.topic", "dead-tasks");
        initial.setProperty("redelivery.maximum-redeliveries", "5");
        initial.setProperty("redelivery.delay-ms", "250");
        initial.setProperty("dead-letter.publish-timeout-ms", "2000");
        initial.setProperty("dead-letter-log.group-id", "log-group");
        initial.setProperty("topics.provision", "false");
        initial.setProperty("topics.partitions", "6");
        initial.setProperty("topics.replication-factor", "3");
        initial.setProperty("broker.timeout-ms", "5000");

        PipelineSettings settings = load();

        assertEquals("tasks", settings.sourceTopic());
        assertEquals("task-group", settings.sourceGroupId());
        assertEquals(3, settings.consumers());
        assertEquals(LoggingLevel.INFO, settings.processedLogLevel());
        assertEquals("dead-tasks", settings.deadLetterTopic());
        assertEquals(5, settings.maximumRedeliveries());
        assertEquals(250L, settings.redeliveryDelayMs());
        assertEquals(2000, settings.deadLetterPublishTimeoutMs());
        assertEquals("log-group", settings.logGroupId());
        assertFalse(settings.provisionTopics());
        assertEquals(6, settings.partitions());
        assertEquals((short) 3, settings.replicationFactor());
        assertEquals(5000, settings.brokerTimeoutMs());
    }

    @Test
    void valuesAreTrimmedAndCaseInsensitive() {
        initial.setProperty("task-processing.topic", "  tasks  ");
        initial.setProperty("task-processing.processed-log-level", " warn ");
        initial.setProperty("redelivery.maximum-redeliveries", " 0 ");
        initial.setProperty("topics.provision", " FALSE ");

        PipelineSettings settings = load();

        assertEquals("tasks", settings.sourceTopic());
        assertEquals(LoggingLevel.WARN, settings.processedLogLevel());
        assertEquals(0, settings.maximumRedeliveries());
        assertFalse(settings.provisionTopics());
    }

    @Test
    void overridePropertiesWin() {
        initial.setProperty("dead-letter.topic", "from-initial");
        initial.setProperty("redelivery.delay-ms", "10");
        overrides.setProperty("dead-letter.topic", "from-override");
        overrides.setProperty("redelivery.delay-ms", "20");

        PipelineSettings settings = load();

        assertEquals("from-override", settings.deadLetterTopic());
        assertEquals(20L, settings.redeliveryDelayMs());
    }

    @Test
    void boundaryValuesAreAccepted() {
        initial.setProperty("task-processing.consumers", "256");
        initial.setProperty("redelivery.maximum-redeliveries", "1000");
        initial.setProperty("redelivery.delay-ms", "3600000");
        initial.setProperty("dead-letter.publish-timeout-ms", "1");
        initial.setProperty("topics.partitions", "100000");
        initial.setProperty("topics.replication-factor", "32767");
        initial.setProperty("broker.timeout-ms", "2147483647");

        PipelineSettings settings = load();

        assertEquals(256, settings.consumers());
        assertEquals(1000, settings.maximumRedeliveries());
        assertEquals(3_600_000L, settings.redeliveryDelayMs());
        assertEquals(1, settings.deadLetterPublishTimeoutMs());
        assertEquals(100_000, settings.partitions());
        assertEquals(Short.MAX_VALUE, settings.replicationFactor());
        assertEquals(Integer.MAX_VALUE, settings.brokerTimeoutMs());
    }

    @ParameterizedTest(name = "{0}=''{1}''")
    @CsvSource({
        "redelivery.delay-ms, -1",
        "redelivery.delay-ms, 3600001",
        "redelivery.maximum-redeliveries, abc",
        "redelivery.maximum-redeliveries, 1001",
        "redelivery.maximum-redeliveries, 1.5",
        "task-processing.topic, ''",
        "dead-letter.topic, ''",
        "task-processing.group-id, ''",
        "task-processing.consumers, 0",
        "task-processing.consumers, 257",
        "task-processing.consumers, two",
        "dead-letter-log.group-id, ''",
        "topics.partitions, 0",
        "topics.replication-factor, 32768",
        "topics.provision, maybe",
        "task-processing.processed-log-level, LOUD",
        "dead-letter.publish-timeout-ms, 0",
        "broker.timeout-ms, 2147483648",
    })
    void invalidValueNamesKeyAndValue(String key, String value) {
        initial.setProperty(key, value);

        InvalidSettingException error = assertThrows(InvalidSettingException.class, this::load);

        assertTrue(error.getMessage().contains(key), error.getMessage());
        assertTrue(error.getMessage().contains("'" + value + "'"), error.getMessage());
    }

    @Test
    void blankTextValueIsRejected() {
        initial.setProperty("dead-letter.topic", "   ");

        InvalidSettingException error = assertThrows(InvalidSettingException.class, this::load);

        assertTrue(error.getMessage().contains("dead-letter.topic"), error.getMessage());
    }

    private PipelineSettings load() {
        context.getPropertiesComponent().setInitialProperties(initial);
        context.getPropertiesComponent().setOverrideProperties(overrides);
        return PipelineSettings.load(context);
    }
}
