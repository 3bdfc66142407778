package io.cameldlq.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import io.cameldlq.kafka.EmbeddedKafkaBroker;

/**
 * One real Kafka broker for the whole test JVM, started on first use on a free loopback port, with
 * {@code auto.create.topics.enable=false} as many production clusters run. Tests isolate themselves with
 * unique topic and group names.
 */
public final class TestBroker {

    private static EmbeddedKafkaBroker broker;

    private TestBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            Path dataDirectory = TemporaryDirectories.createUntracked("camel-dlq-test-broker");
            EmbeddedKafkaBroker started = EmbeddedKafkaBroker.start(0, dataDirectory, Map.of(
                    "message.max.bytes", String.valueOf(12 * 1024 * 1024)));
            broker = started;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                TemporaryDirectories.delete(dataDirectory);
            }, "test-broker-shutdown"));
        }
        return broker.bootstrapServers();
    }

    /** Returns {@code 127.0.0.1:PORT} with a port that was free a moment ago, so that nothing listens there. */
    public static String closedAddress() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
