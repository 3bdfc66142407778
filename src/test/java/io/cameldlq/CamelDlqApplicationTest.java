package io.cameldlq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

import io.cameldlq.config.InvalidSettingException;
import io.cameldlq.config.SettingSources;

class CamelDlqApplicationTest {

    @Test
    void invalidSettingIsReportedAlone() {
        Exception wrapped = new RuntimeCamelException("Error during post processing of bean: PipelineBeans@1",
                new InvalidSettingException("dead-letter-log.format", "xml", "must be text or json"));

        assertEquals("Invalid value 'xml' for dead-letter-log.format: must be text or json",
                CamelDlqApplication.rootMessage(wrapped));
    }

    @Test
    void invalidSettingNamesItsSource() {
        SettingSources sources = new SettingSources();
        sources.onLookup("dead-letter-log.format", "xml", null, "ENV");
        Exception wrapped = new RuntimeCamelException("Error during post processing of bean: PipelineBeans@1",
                new InvalidSettingException("dead-letter-log.format", "xml", "must be text or json"));

        assertEquals("Invalid value 'xml' for dead-letter-log.format: must be text or json. The value comes from "
                + "the environment variable DEAD_LETTER_LOG_FORMAT.",
                CamelDlqApplication.rootMessage(wrapped, sources));
    }

    @Test
    void otherFailuresJoinTheirCauses() {
        Exception wrapped = new IllegalStateException("Kafka broker 127.0.0.1:1 is not usable",
                new IllegalStateException("Timed out after 1000 ms trying to list topics"));

        assertEquals("Kafka broker 127.0.0.1:1 is not usable: Timed out after 1000 ms trying to list topics",
                CamelDlqApplication.rootMessage(wrapped));
    }

    @Test
    void causeContinuesSentenceWithoutPeriod() {
        Exception wrapped = new IllegalStateException("Port 9092 is already in use. Set embedded-broker.port.",
                new java.net.BindException("Address already in use"));

        assertEquals("Port 9092 is already in use. Set embedded-broker.port: Address already in use",
                CamelDlqApplication.rootMessage(wrapped));
    }
}
