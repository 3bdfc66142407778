package io.cameldlq.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.Test;

class KafkaUrisTest {

    @Test
    void batchingConsumerWaitsForBytes() throws Exception {
        Map<String, Object> options = optionsOf(KafkaUris.batchingConsumer("retries", "group-retry", 500));

        assertEquals("65536", options.get("fetchMinBytes"));
        assertEquals("500", options.get("fetchWaitMaxMs"));
        // Everything else is the reliable consumer's.
        Map<String, Object> reliable = optionsOf(KafkaUris.reliableConsumer("retries", "group-retry"));
        reliable.forEach((key, value) -> assertEquals(value, options.get(key), key));
    }

    @Test
    void batchingConsumerShortWaitIsPlain() throws Exception {
        assertEquals(KafkaUris.reliableConsumer("retries", "g"), KafkaUris.batchingConsumer("retries", "g", 199));
        assertTrue(optionsOf(KafkaUris.batchingConsumer("retries", "g", 200)).containsKey("fetchMinBytes"));
    }

    @Test
    void consumerCountIsSetOnlyBeyondOne() throws Exception {
        assertEquals(KafkaUris.reliableConsumer("tasks", "g"), KafkaUris.reliableConsumer("tasks", "g", 1));
        Map<String, Object> options = optionsOf(KafkaUris.reliableConsumer("tasks", "g", 3));
        assertEquals("3", options.get("consumersCount"));
        // Everything else is the single consumer's.
        Map<String, Object> single = optionsOf(KafkaUris.reliableConsumer("tasks", "g"));
        single.forEach((key, value) -> assertEquals(value, options.get(key), key));
    }

    @Test
    void producersLingerOnlyWhenAsked() throws Exception {
        assertFalse(optionsOf(KafkaUris.deadLetterProducer("dlt", 1000, 0)).containsKey("lingerMs"));
        assertFalse(optionsOf(KafkaUris.retryProducer("retries", 1000, 0)).containsKey("lingerMs"));
        assertEquals("50", optionsOf(KafkaUris.retryProducer("retries", 1000, 50)).get("lingerMs"));
        Map<String, Object> lingering = optionsOf(KafkaUris.deadLetterProducer("dlt", 1000, 50));
        assertEquals("50", lingering.get("lingerMs"));
        assertEquals("all", lingering.get("requestRequiredAcks"));
        assertEquals("true", lingering.get("enableIdempotence"));
    }

    private static Map<String, Object> optionsOf(String uri) throws Exception {
        return URISupport.parseQuery(uri.substring(uri.indexOf('?') + 1));
    }
}
