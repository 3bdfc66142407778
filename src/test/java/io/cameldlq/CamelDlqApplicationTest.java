package io.cameldlq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

import io.cameldlq.config.InvalidSettingException;

class CamelDlqApplicationTest {

    @Test
    void invalidSettingIsReportedAlone() {
        Exception wrapped = new RuntimeCamelException("Error during post processing of bean: PipelineBeans@1",
                new InvalidSettingException("dead-letter-log.format", "xml", "must be text or json"));

        assertEquals("Invalid value 'xml' for dead-letter-log.format: must be text or json",
                CamelDlqApplication.rootMessage(wrapped));
    }

    @Test
    void otherFailuresJoinTheirCauses() {
        Exception wrapped = new IllegalStateException("Kafka broker 127.0.0.1:1 is not usable",
                new IllegalStateException("Timed out after 1000 ms trying to list topics"));

        assertEquals("Kafka broker 127.0.0.1:1 is not usable: Timed out after 1000 ms trying to list topics",
                CamelDlqApplication.rootMessage(wrapped));
    }
}
