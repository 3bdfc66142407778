package io.cameldlq.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.kafka.EmbeddedKafkaBroker;

class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dataDirectory;

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
