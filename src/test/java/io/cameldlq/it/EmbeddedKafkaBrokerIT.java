package io.cameldlq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.kafka.EmbeddedKafkaBroker;
import io.cameldlq.support.KafkaTestClient;

/** The embedded KRaft broker of the dev profile. */
class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dataDirectory;

    @Test
    void restartReusesDataDirectory() throws Exception {
        String topic = "kept-across-restarts";
        int port;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDirectory, Map.of());
                KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            port = broker.port();
            kafka.createTopic(topic, 1);
            kafka.send(topic, 0, null, KafkaTestClient.utf8("kept"), List.of());
        }

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dataDirectory, Map.of());
                KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll(topic);
            assertEquals(1, records.size());
            assertArrayEquals(KafkaTestClient.utf8("kept"), records.get(0).value());
        }
    }

    @Test
    void portInUseGivesClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(taken.getLocalPort(), dataDirectory, Map.of()));
            assertTrue(error.getMessage().contains("Port " + taken.getLocalPort() + " is already in use"),
                    error.getMessage());
            assertTrue(error.getMessage().contains("embedded-broker.port"), error.getMessage());
        }
    }
}
